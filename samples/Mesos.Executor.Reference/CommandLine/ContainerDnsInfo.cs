using System;
using System.Collections.Generic;
using System.Text.Json;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// Default DNS settings for task containers: the agent's <c>--default_container_dns</c> flag
/// (Mesos's <c>ContainerDNSInfo</c>), passed to Mesos's Docker executor as
/// <c>--default_container_dns</c>. Only the <see cref="Docker"/> entries are used: they become the
/// Docker containerizer's <see cref="DefaultDnsSettings"/> (<see cref="ToDefaultDns"/>), which picks
/// the one for the default bridge network, the one naming the task's user-defined network, or the
/// unnamed user-network entry. Host and none networking get no defaults.
/// </summary>
/// <remarks>
/// The flag's format is the agent's, so reading it is the reference executor's job, not the
/// Docker package's (issue 12); the Docker package takes plain lists per network.
/// </remarks>
/// <example>
/// <code>
/// {"docker": [{"network_mode": "BRIDGE", "dns": {"nameservers": ["8.8.8.8"]}},
///             {"network_mode": "USER", "network_name": "net1", "dns": {"search": ["corp"]}}]}
/// </code>
/// </example>
internal sealed class ContainerDnsInfo
{
    /// <summary>Entries for the Mesos containerizer's CNI networks (parsed and validated, otherwise unused).</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<MesosDnsInfo> Mesos { get; init; } = [];

    /// <summary>Entries for Docker networks.</summary>
    /// <value>Default empty.</value>
    public IReadOnlyList<DockerDnsInfo> Docker { get; init; } = [];

    /// <summary>
    /// Parses the JSON form of Mesos's <c>ContainerDNSInfo</c> (field names as in the proto, enum
    /// values by name) and checks it with the agent's rules: no UNKNOWN or HOST modes, at most one
    /// BRIDGE entry, at most one unnamed USER (or CNI) entry and no two entries for the same network.
    /// </summary>
    /// <param name="json">The flag's value.</param>
    /// <returns>The parsed settings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="ExecutorConfigurationException">The value is malformed or breaks a rule; the message lists every problem.</exception>
    public static ContainerDnsInfo Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<string>();
        ContainerDnsInfo result;
        try
        {
            using var document = JsonDocument.Parse(json);
            result = FromJson(document.RootElement, errors);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with an escaped lone surrogate ("\ud800"), which
            // JsonDocument accepts and only GetString refuses.
            throw new ExecutorConfigurationException(
                $"invalid default container DNS (--default_container_dns): not JSON: {ex.Message}", ex);
        }

        result.Validate(errors);
        if (errors.Count > 0)
        {
            throw new ExecutorConfigurationException(
                $"invalid default container DNS (--default_container_dns): {string.Join("; ", errors)}");
        }

        return result;
    }

    /// <summary>
    /// The Docker entries as the containerizer's defaults: BRIDGE becomes
    /// <see cref="DefaultDnsSettings.Bridge"/>, the unnamed USER entry
    /// <see cref="DefaultDnsSettings.UserNetwork"/>, and each named USER entry one of
    /// <see cref="DefaultDnsSettings.Networks"/>. Call it on a value <see cref="Parse"/> returned
    /// (which allows one entry per network).
    /// </summary>
    /// <returns>The defaults (empty when there is no Docker entry).</returns>
    public DefaultDnsSettings ToDefaultDns()
    {
        DnsSettings? bridge = null;
        DnsSettings? userNetwork = null;
        var networks = new Dictionary<string, DnsSettings>(StringComparer.Ordinal);
        foreach (var entry in Docker)
        {
            switch (entry.NetworkMode)
            {
                case DockerDnsNetworkMode.Bridge:
                    bridge = entry.Dns;
                    break;
                case DockerDnsNetworkMode.User when entry.NetworkName is null:
                    userNetwork = entry.Dns;
                    break;
                case DockerDnsNetworkMode.User:
                    networks[entry.NetworkName] = entry.Dns;
                    break;
            }
        }

        return new DefaultDnsSettings { Bridge = bridge, UserNetwork = userNetwork, Networks = networks };
    }

    /// <summary>Adds a message for each rule the settings break (the agent's own checks).</summary>
    internal void Validate(List<string> errors)
    {
        if (Mesos is null || Docker is null)
        {
            errors.Add("mesos and docker must not be null");
            return;
        }

        bool unnamedCni = false;
        var cniNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Mesos)
        {
            switch (entry?.NetworkMode)
            {
                case MesosDnsNetworkMode.Cni when entry.NetworkName is null:
                    if (unnamedCni)
                    {
                        errors.Add("more than one mesos entry without network_name");
                    }

                    unnamedCni = true;
                    break;
                case MesosDnsNetworkMode.Cni:
                    if (!cniNames.Add(entry.NetworkName))
                    {
                        errors.Add($"more than one mesos entry for network '{entry.NetworkName}'");
                    }

                    break;
                case MesosDnsNetworkMode.Host:
                    errors.Add("DNS for HOST networking is not supported");
                    break;
                default:
                    errors.Add("a mesos entry has an UNKNOWN network_mode");
                    break;
            }
        }

        bool bridge = false;
        bool unnamedUser = false;
        var userNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Docker)
        {
            switch (entry?.NetworkMode)
            {
                case DockerDnsNetworkMode.Bridge:
                    if (bridge)
                    {
                        errors.Add("more than one docker entry for the BRIDGE network");
                    }

                    bridge = true;
                    break;
                case DockerDnsNetworkMode.User when entry.NetworkName is null:
                    if (unnamedUser)
                    {
                        errors.Add("more than one docker USER entry without network_name");
                    }

                    unnamedUser = true;
                    break;
                case DockerDnsNetworkMode.User:
                    if (!userNames.Add(entry.NetworkName))
                    {
                        errors.Add($"more than one docker entry for network '{entry.NetworkName}'");
                    }

                    break;
                case DockerDnsNetworkMode.Host:
                    errors.Add("DNS for HOST networking is not supported");
                    break;
                default:
                    errors.Add("a docker entry has an UNKNOWN network_mode");
                    break;
            }
        }
    }

    private static ContainerDnsInfo FromJson(JsonElement root, List<string> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("the value must be a JSON object");
            return new ContainerDnsInfo();
        }

        var mesos = new List<MesosDnsInfo>();
        var docker = new List<DockerDnsInfo>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("mesos"))
            {
                int index = 0;
                foreach (var item in Array(property.Value, "mesos", errors))
                {
                    string where = $"mesos[{index++}]";
                    var (mode, name, dns, domain) = Entry(item, where, errors);
                    mesos.Add(new MesosDnsInfo
                    {
                        NetworkMode = ParseEnum<MesosDnsNetworkMode>(mode, where, errors),
                        NetworkName = name,
                        Dns = dns,
                        Domain = domain,
                    });
                }
            }
            else if (property.NameEquals("docker"))
            {
                int index = 0;
                foreach (var item in Array(property.Value, "docker", errors))
                {
                    string where = $"docker[{index++}]";
                    var (mode, name, dns, _) = Entry(item, where, errors);
                    docker.Add(new DockerDnsInfo
                    {
                        NetworkMode = ParseEnum<DockerDnsNetworkMode>(mode, where, errors),
                        NetworkName = name,
                        Dns = dns,
                    });
                }
            }
        }

        return new ContainerDnsInfo { Mesos = mesos, Docker = docker };
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string where, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where} must be an array");
            return [];
        }

        return element.EnumerateArray();
    }

    private static (JsonElement? Mode, string? Name, DnsSettings Dns, string? Domain) Entry(JsonElement item, string where, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be an object");
            return (null, null, new DnsSettings(), null);
        }

        JsonElement? mode = item.TryGetProperty("network_mode", out var m) ? m : null;
        string? name = null;
        if (item.TryGetProperty("network_name", out var n))
        {
            if (n.ValueKind == JsonValueKind.String)
            {
                name = n.GetString();
            }
            else
            {
                errors.Add($"{where}.network_name must be a string");
            }
        }

        DnsSettings dns = new();
        string? domain = null;
        if (!item.TryGetProperty("dns", out var d))
        {
            errors.Add($"{where}.dns is required");
        }
        else if (d.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where}.dns must be an object");
        }
        else
        {
            if (d.TryGetProperty("domain", out var dom))
            {
                if (dom.ValueKind == JsonValueKind.String)
                {
                    domain = dom.GetString();
                }
                else
                {
                    errors.Add($"{where}.dns.domain must be a string");
                }
            }

            dns = new DnsSettings
            {
                Nameservers = Strings(d, "nameservers", where, errors),
                Search = Strings(d, "search", where, errors),
                Options = Strings(d, "options", where, errors),
            };
        }

        return (mode, name, dns, domain);
    }

    private static List<string> Strings(JsonElement dns, string name, string where, List<string> errors)
    {
        var result = new List<string>();
        if (!dns.TryGetProperty(name, out var array))
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where}.dns.{name} must be an array of strings");
            return result;
        }

        foreach (var value in array.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                result.Add(value.GetString()!);
            }
            else
            {
                errors.Add($"{where}.dns.{name} must be an array of strings");
            }
        }

        return result;
    }

    private static TEnum ParseEnum<TEnum>(JsonElement? value, string where, List<string> errors)
        where TEnum : struct, Enum
    {
        if (value is not { } element)
        {
            return default;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            string text = element.GetString()!;
            if (Enum.TryParse(text, ignoreCase: true, out TEnum parsed) && !int.TryParse(text, out _) && Enum.IsDefined(parsed))
            {
                return parsed;
            }

            errors.Add($"{where}.network_mode '{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}");
            return default;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int number))
        {
            var parsed = (TEnum)Enum.ToObject(typeof(TEnum), number);
            if (Enum.IsDefined(parsed))
            {
                return parsed;
            }
        }

        errors.Add($"{where}.network_mode must be a name such as BRIDGE");
        return default;
    }
}
