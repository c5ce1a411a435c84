using System;
using System.Collections.Generic;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal;

/// <summary>What the <c>docker run</c> flag table edits: the create parameters and the mapping's working state.</summary>
internal sealed class FlagContext
{
    public FlagContext(CreateContainerParameters container, string networkName, Func<string, string> readFile)
    {
        Container = container;
        NetworkName = networkName;
        ReadFile = readFile;
    }

    /// <summary>The container being built; <see cref="CreateContainerParameters.HostConfig"/> is set.</summary>
    public CreateContainerParameters Container { get; }

    public HostConfig Host => Container.HostConfig!;

    /// <summary>The environment; later writes win, order of first insertion is kept.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Labels; later writes win.</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>The Docker network the container joins (<c>host</c>, <c>bridge</c>, <c>none</c> or a user network).</summary>
    public string NetworkName { get; }

    /// <summary>
    /// The most port entries (exposed ports and published bindings together) the parameters may
    /// create: one full range. Each <c>publish=1-65535</c> adds 65,535 bindings, so without a limit
    /// a few bytes per parameter would cost megabytes (found by fuzzing, issue 16) and the engine a
    /// proxy per port.
    /// </summary>
    public const int MaxPortEntries = 65_535;

    private int _portEntries;

    /// <summary>A pull policy set by the <c>pull</c> parameter.</summary>
    public PullPolicy? Pull { get; set; }

    /// <summary>Reads a host file (seccomp profiles).</summary>
    public Func<string, string> ReadFile { get; }

    /// <summary>The endpoint settings of <see cref="NetworkName"/>, created on first use.</summary>
    public EndpointSettings Endpoint()
    {
        var networking = Container.NetworkingConfig ??= new NetworkingConfig();
        var endpoints = networking.EndpointsConfig ??= new Dictionary<string, EndpointSettings>(StringComparer.Ordinal);
        if (!endpoints.TryGetValue(NetworkName, out var endpoint))
        {
            endpoint = new EndpointSettings();
            endpoints[NetworkName] = endpoint;
        }

        return endpoint;
    }

    /// <summary>Counts one exposed port or published binding.</summary>
    /// <exception cref="FlagValueException">The parameters create more than <see cref="MaxPortEntries"/>.</exception>
    public void CountPort()
    {
        if (++_portEntries > MaxPortEntries)
        {
            throw new FlagValueException($"the parameters expose or publish more than {MaxPortEntries} ports");
        }
    }

    public static IList<T> Append<T>(IList<T>? list, T item)
    {
        list ??= new List<T>();
        list.Add(item);
        return list;
    }

    public static IDictionary<string, TValue> Put<TValue>(IDictionary<string, TValue>? map, string key, TValue value)
    {
        map ??= new Dictionary<string, TValue>(StringComparer.Ordinal);
        map[key] = value;
        return map;
    }
}
