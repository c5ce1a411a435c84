using System;
using System.Collections.Generic;
using System.Text;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Reference.CommandLine;
using Mesos.V1;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// The Docker executor's JSON flags, as the agent passes them: the first byte's low bit picks
/// <c>--default_container_dns</c> (<see cref="ContainerDnsInfo.Parse"/>, then a lookup for every
/// network mode, through the containerizer's defaults) or <c>--task_environment</c> (<see cref="TaskEnvironmentFlag.ParseTaskEnvironment"/>).
/// </summary>
public sealed class DockerJsonFlagsTarget : FuzzTarget
{
    /// <inheritdoc />
    public override string Name => "docker-json-flags";

    /// <inheritdoc />
    public override string Description => "--default_container_dns and --task_environment JSON";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        string json = Encoding.UTF8.GetString(data[1..]);
        if ((data[0] & 1) == 0)
        {
            ContainerDnsInfo dns = ContainerDnsInfo.Parse(json);
            DefaultDnsSettings defaults = dns.ToDefaultDns();
            new DockerContainerizerOptions { DefaultDns = defaults }.Validate();
        }
        else
        {
            _ = TaskEnvironmentFlag.ParseTaskEnvironment(json);
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is ExecutorConfigurationException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // Values of ContainerDnsInfoTests and DockerContainerizerOptionsTests.
        yield return ("dns-full", Select(0, """
            {"mesos": [{"network_mode": "CNI", "network_name": "net1", "dns": {"nameservers": ["8.8.8.8", "8.8.4.4"], "domain": "corp"}}],
             "docker": [{"network_mode": "BRIDGE", "dns": {"nameservers": ["8.8.8.8"], "search": ["a.example"], "options": ["ndots:2"]}},
                        {"network_mode": "USER", "network_name": "net2", "dns": {"nameservers": ["1.1.1.1"]}}]}
            """));
        yield return ("dns-host", Select(0, """{"docker": [{"network_mode": "HOST", "dns": {"nameservers": ["::1"]}}]}"""));
        yield return ("dns-bad", Select(0, """{"docker": [{"network_mode": "USER", "dns": {"nameservers": ["not-an-ip"]}}], "x": 1}"""));
        yield return ("env", Select(1, """{"MESOS_ALLOCATION_ROLE":"web","EMPTY":"","U":"é=1"}"""));
        yield return ("env-number", Select(1, """{"A":1}"""));
        yield return ("env-empty-name", Select(1, """{"":"x"}"""));
        yield return ("env-equals", Select(1, """{"A=B":"x"}"""));
        yield return ("env-cut", Select(1, "{"));
    }

    private static byte[] Select(byte selector, string json) => [selector, .. Encoding.UTF8.GetBytes(json)];
}
