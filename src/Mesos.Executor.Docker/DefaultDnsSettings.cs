using System;
using System.Collections.Generic;
using Mesos.V1;

namespace Mesos.Executor.Docker;

/// <summary>
/// Resolver settings for task containers that bring none of their own, chosen by the Docker
/// network the container joins. This is how Mesos applies the agent's
/// <c>--default_container_dns</c> to Docker tasks, without tying the containerizer to that flag's
/// format (the reference executor reads the flag and fills this in).
/// </summary>
/// <remarks>
/// As in Mesos (<c>Docker::RunOptions::create</c>), the defaults apply only when the task's Docker
/// parameters set none of <c>dns</c>, <c>dns-search</c>, <c>dns-opt</c> and <c>dns-option</c>;
/// then the whole entry applies (name servers, search domains and options together). Host and
/// none networking (and <c>container:</c> networks) get no defaults.
/// </remarks>
/// <example>
/// <code>
/// var dns = new DefaultDnsSettings
/// {
///     Bridge = new DnsSettings { Nameservers = ["10.0.0.53"] },
///     Networks = new Dictionary&lt;string, DnsSettings&gt; { ["backend"] = new() { Search = ["corp.example"] } },
/// };
/// </code>
/// </example>
public sealed class DefaultDnsSettings
{
    /// <summary>For containers on Docker's default bridge network (<c>DockerInfo.network</c> BRIDGE).</summary>
    /// <value>Default <see langword="null"/>: the engine's defaults.</value>
    public DnsSettings? Bridge { get; init; }

    /// <summary>
    /// For containers on a user-defined network (<c>DockerInfo.network</c> USER) that has no entry
    /// in <see cref="Networks"/>.
    /// </summary>
    /// <value>Default <see langword="null"/>: the engine's defaults.</value>
    public DnsSettings? UserNetwork { get; init; }

    /// <summary>
    /// For containers on the named user-defined network (the task's network name, or the one a
    /// <c>network</c> parameter picks); wins over <see cref="UserNetwork"/>. Names are looked up with the dictionary's own comparer.
    /// </summary>
    /// <value>Default empty (an ordinal dictionary).</value>
    public IReadOnlyDictionary<string, DnsSettings> Networks { get; init; } = new Dictionary<string, DnsSettings>(StringComparer.Ordinal);

    /// <summary>Adds a message for each invalid value.</summary>
    internal void Validate(Internal.ConfigurationErrors errors)
    {
        Validate(Bridge, "bridge", errors);
        Validate(UserNetwork, "user network", errors);
        if (Networks is null)
        {
            errors.Add("default DNS networks must not be null");
            return;
        }

        foreach (var (name, settings) in Networks)
        {
            if (string.IsNullOrEmpty(name))
            {
                errors.Add("default DNS networks must not have an empty name");
            }

            if (settings is null)
            {
                errors.Add($"default DNS for network '{name}' must not be null");
            }
            else
            {
                Validate(settings, $"network '{name}'", errors);
            }
        }
    }

    /// <summary>
    /// The settings for a container: <paramref name="mode"/> is the task's <c>DockerInfo.network</c>,
    /// <paramref name="networkName"/> the Docker network the container joins.
    /// </summary>
    internal DnsSettings? Select(ContainerInfo.Types.DockerInfo.Types.Network mode, string networkName) => mode switch
    {
        ContainerInfo.Types.DockerInfo.Types.Network.Bridge => Bridge,
        ContainerInfo.Types.DockerInfo.Types.Network.User =>
            Networks.TryGetValue(networkName, out var named) ? named : UserNetwork,
        _ => null,
    };

    private static void Validate(DnsSettings? settings, string where, Internal.ConfigurationErrors errors)
    {
        if (settings is null)
        {
            return;
        }

        if (settings.Nameservers is null || settings.Search is null || settings.Options is null)
        {
            errors.Add($"default DNS for {where}: nameservers, search and options must not be null");
            return;
        }

        foreach (var list in new[] { settings.Nameservers, settings.Search, settings.Options })
        {
            foreach (var value in list)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add($"default DNS for {where}: values must not be empty");
                    return;
                }
            }
        }
    }
}
