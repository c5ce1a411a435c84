using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Mesos.Executor.Core;

namespace Mesos.Executor.Docker.Internal;

/// <summary>What the containerizer reads from <c>GET /containers/{id}/json</c>, parsed from the raw JSON.</summary>
internal sealed record ContainerInspection
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public bool Running { get; init; }

    public bool Restarting { get; init; }

    public bool Paused { get; init; }

    public bool OomKilled { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public int Pid { get; init; }

    /// <summary>The started-at time as the engine wrote it (<c>0001-01-01T00:00:00Z</c> when never started).</summary>
    public string? StartedAt { get; init; }

    public string? NetworkMode { get; init; }

    /// <summary><c>Config.StopSignal</c>: the image's or the <c>stop-signal</c> parameter's, if any.</summary>
    public string? StopSignal { get; init; }

    public bool Tty { get; init; }

    public IReadOnlyList<IPAddress> IPAddresses { get; init; } = [];

    public IReadOnlyList<IPAddress> Gateways { get; init; } = [];

    public IReadOnlyList<PublishedPort> PublishedPorts { get; init; } = [];

    /// <summary>Whether the main process is alive (running, restarting or paused).</summary>
    public bool IsAlive => Running || Restarting || Paused;

    /// <exception cref="JsonException">The body is not an inspect object.</exception>
    public static ContainerInspection Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return ParseDocument(json);
        }
        catch (InvalidOperationException ex)
        {
            // A string or a name that is not valid UTF-8, or an escaped lone surrogate ("\ud800"):
            // JsonDocument accepts both, reading the string refuses them.
            throw new JsonException("the inspect answer holds a string that is not valid Unicode", ex);
        }
    }

    private static ContainerInspection ParseDocument(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || String(root, "Id") is not { Length: > 0 } id)
        {
            throw new JsonException("not a container inspect object (no Id)");
        }

        var state = Child(root, "State");
        var config = Child(root, "Config");
        var hostConfig = Child(root, "HostConfig");
        var networkSettings = Child(root, "NetworkSettings");

        var addresses = new List<IPAddress>();
        var gateways = new List<IPAddress>();
        if (networkSettings is { } settings && Child(settings, "Networks") is { } networks && networks.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in networks.EnumerateObject())
            {
                AddAddress(addresses, String(network.Value, "IPAddress"));
                AddAddress(addresses, String(network.Value, "GlobalIPv6Address"));
                AddAddress(gateways, String(network.Value, "Gateway"));
                AddAddress(gateways, String(network.Value, "IPv6Gateway"));
            }
        }

        var ports = new List<PublishedPort>();
        if (networkSettings is { } ns && Child(ns, "Ports") is { } portMap && portMap.ValueKind == JsonValueKind.Object)
        {
            foreach (var port in portMap.EnumerateObject())
            {
                if (port.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                string[] key = port.Name.Split('/');
                if (!int.TryParse(key[0], NumberStyles.None, CultureInfo.InvariantCulture, out int containerPort))
                {
                    continue;
                }

                string protocol = key.Length > 1 ? key[1] : "tcp";
                foreach (var binding in port.Value.EnumerateArray())
                {
                    if (int.TryParse(String(binding, "HostPort"), NumberStyles.None, CultureInfo.InvariantCulture, out int hostPort))
                    {
                        string? hostIp = String(binding, "HostIp");
                        ports.Add(new PublishedPort { HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol, HostIP = string.IsNullOrEmpty(hostIp) ? null : hostIp });
                    }
                }
            }
        }

        return new ContainerInspection
        {
            Id = id,
            Name = String(root, "Name")?.TrimStart('/'),
            Running = Bool(state, "Running"),
            Restarting = Bool(state, "Restarting"),
            Paused = Bool(state, "Paused"),
            OomKilled = Bool(state, "OOMKilled"),
            ExitCode = (int)Number(state, "ExitCode"),
            Error = String(state, "Error") is { Length: > 0 } error ? error : null,
            Pid = (int)Number(state, "Pid"),
            StartedAt = String(state, "StartedAt"),
            NetworkMode = String(hostConfig, "NetworkMode"),
            StopSignal = String(config, "StopSignal") is { Length: > 0 } signal ? SignalName(signal) : null,
            Tty = Bool(config, "Tty"),
            IPAddresses = addresses,
            Gateways = gateways,
            PublishedPorts = ports,
        };
    }

    /// <summary>The details the executor wants, with <paramref name="rawJson"/> wrapped as <c>docker inspect</c> prints it (a one-element array).</summary>
    public ContainerDetails ToDetails(ReadOnlySpan<byte> rawJson)
    {
        byte[] data = new byte[rawJson.Length + 2];
        data[0] = (byte)'[';
        rawJson.CopyTo(data.AsSpan(1));
        data[^1] = (byte)']';
        return new ContainerDetails
        {
            Id = Id,
            Name = Name,
            Pid = Running ? Pid : 0,
            UsesHostNetwork = string.Equals(NetworkMode, "host", StringComparison.Ordinal),
            IPAddresses = IPAddresses,
            Gateways = Gateways,
            PublishedPorts = PublishedPorts,
            RawData = data,
        };
    }

    /// <summary>
    /// The signal's name: Podman's inspect gives <c>Config.StopSignal</c> as a number ("10"),
    /// Docker as a name ("SIGUSR1"). Numbers without a name stay numbers (both engines take them).
    /// </summary>
    internal static string SignalName(string signal) =>
        int.TryParse(signal, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0 && number < SignalNames.Length
            ? SignalNames[number]
            : signal;

    // Linux x86-64 and arm64 numbering (signal(7)).
    private static readonly string[] SignalNames =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    private static void AddAddress(List<IPAddress> list, string? text)
    {
        if (!string.IsNullOrEmpty(text) && IPAddress.TryParse(text, out var address) && !list.Contains(address))
        {
            list.Add(address);
        }
    }

    private static JsonElement? Child(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null
            ? child
            : null;

    private static string? String(JsonElement? element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool Bool(JsonElement? element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.True };

    private static long Number(JsonElement? element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out long number) ? number : 0;
}
