#nullable disable warnings

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Tests.Support;
using Mesos.V1;
using NUnit.Framework;
using ContainerSpec = Mesos.Executor.Core.ContainerSpec;
using Network = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.Network;
using PortMapping = Mesos.V1.ContainerInfo.Types.DockerInfo.Types.PortMapping;
using Secret = Mesos.V1.Secret;
using Volume = Mesos.V1.Volume;

namespace Mesos.Executor.Docker.Tests;

/// <summary>TaskInfo → create parameters, without an engine (Mesos's Docker::RunOptions::create semantics).</summary>
[TestFixture]
public sealed class ContainerMappingTests
{
    private const string Sandbox = "/var/lib/mesos/slaves/a/sandbox";
    private const long MiB = 1024L * 1024;

    [Test]
    public void Map_ShellCommand_RunsItWithBinShDashC()
    {
        var mapped = Map(TestTasks.Task("echo hi && exit 3"));

        Assert.Multiple(() =>
        {
            Assert.That(mapped.Parameters.Entrypoint, Is.EqualTo(new[] { "/bin/sh" }));
            Assert.That(mapped.Parameters.Cmd, Is.EqualTo(new[] { "-c", "echo hi && exit 3" }));
        });
    }

    [Test]
    public void Map_ShellWithoutValue_Fails()
    {
        var task = TestTasks.Task();
        task.Command = new CommandInfo { Shell = true };

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("shell=true but no value"));
    }

    [Test]
    public void Map_NonShellCommand_PassesValueAndArgumentsToTheImageEntrypoint()
    {
        var task = TestTasks.Task();
        task.Command = new CommandInfo { Shell = false, Value = "server", Arguments = { "--port", "80" } };

        var mapped = Map(task);

        Assert.Multiple(() =>
        {
            Assert.That(mapped.Parameters.Entrypoint, Is.Null);
            Assert.That(mapped.Parameters.Cmd, Is.EqualTo(new[] { "server", "--port", "80" }));
        });
    }

    [Test]
    public void Map_NonShellArgumentsOnly_AreTheCmd()
    {
        var task = TestTasks.Task();
        task.Command = new CommandInfo { Shell = false, Arguments = { "a", "b" } };

        Assert.That(Map(task).Parameters.Cmd, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Map_NoCommand_KeepsTheImageDefaults()
    {
        var mapped = Map(TestTasks.Task());

        Assert.Multiple(() =>
        {
            Assert.That(mapped.Parameters.Entrypoint, Is.Null);
            Assert.That(mapped.Parameters.Cmd, Is.Null);
        });
    }

    [Test]
    public void Map_CommandUser_IsIgnoredLikeMesos()
    {
        var task = TestTasks.Task("id");
        task.Command.User = "nosuchuser";

        Assert.That(Map(task).Parameters.User, Is.Null, "Docker::RunOptions::create never passes CommandInfo.user");
    }

    [Test]
    public void Map_CommandUserWithUseCommandUser_IsTheContainerUser()
    {
        var task = TestTasks.Task("id");
        task.Command.User = "nobody";

        var mapped = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { UseCommandUser = true });

        Assert.That(mapped.Parameters.User, Is.EqualTo("nobody"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Map_UserParameter_SetsTheContainerUserEitherWay(bool useCommandUser)
    {
        var task = TestTasks.Task("id");
        task.Command.User = "framework";
        task.Container.Docker.Parameters.Add(new Parameter { Key = "user", Value = "1000:1000" });

        var mapped = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { UseCommandUser = useCommandUser });

        Assert.That(mapped.Parameters.User, Is.EqualTo("1000:1000"));
    }

    [Test]
    public void Map_Environment_MergesLikeMesos()
    {
        var task = TestTasks.Task("env");
        task.Resources.Add(TestTasks.Scalar("cpus", 1));
        task.Resources[0].AllocationInfo = new Resource.Types.AllocationInfo { Role = "web" };
        task.Command.Environment = new Mesos.V1.Environment
        {
            Variables =
            {
                new Mesos.V1.Environment.Types.Variable { Name = "OWN", Value = "task" },
                new Mesos.V1.Environment.Types.Variable { Name = "AGENT", Value = "task-loses" },
                new Mesos.V1.Environment.Types.Variable { Name = "HOOKED", Value = "task-loses" },
                new Mesos.V1.Environment.Types.Variable { Name = "MESOS_SANDBOX", Value = "/elsewhere" },
                new Mesos.V1.Environment.Types.Variable { Name = "PARAM", Value = "task-loses" },
            },
        };
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("env", "PARAM=param"));
        var spec = TestTasks.Spec(task, Sandbox);
        spec.Environment["HOOKED"] = "hook";

        var env = Env(Map(spec, new Dictionary<string, string> { ["AGENT"] = "agent" }));

        Assert.That(env, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["AGENT"] = "agent",
            ["OWN"] = "task",
            ["HOOKED"] = "hook",
            ["MESOS_SANDBOX"] = "/mnt/mesos/sandbox",
            ["PARAM"] = "param",
            ["MESOS_CONTAINER_NAME"] = "mesos-test",
            ["MESOS_ALLOCATION_ROLE"] = "web",
        }));
    }

    [Test]
    public void Map_InlineSecretVariable_IsDecoded()
    {
        var task = TestTasks.Task("env");
        task.Command.Environment = new Mesos.V1.Environment
        {
            Variables =
            {
                new Mesos.V1.Environment.Types.Variable
                {
                    Name = "TOKEN",
                    Type = Mesos.V1.Environment.Types.Variable.Types.Type.Secret,
                    Secret = new Secret { Type = Secret.Types.Type.Value, Value = new Secret.Types.Value { Data = ByteString.CopyFrom("s3cr3t", Encoding.UTF8) } },
                },
            },
        };

        Assert.That(Env(Map(task))["TOKEN"], Is.EqualTo("s3cr3t"));
    }

    [Test]
    public void Map_SecretReferenceVariable_FailsNamingTheVariable()
    {
        var task = TestTasks.Task("env");
        task.Command.Environment = new Mesos.V1.Environment
        {
            Variables =
            {
                new Mesos.V1.Environment.Types.Variable
                {
                    Name = "TOKEN",
                    Type = Mesos.V1.Environment.Types.Variable.Types.Type.Secret,
                    Secret = new Secret { Type = Secret.Types.Type.Reference, Reference = new Secret.Types.Reference { Name = "/db/pass" } },
                },
            },
        };

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("'TOKEN'").And.Contain("secret"));
    }

    [Test]
    public void Map_Sandbox_IsBindMountedAtTheMappedDirectoryLast()
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume { ContainerPath = "/data", HostPath = "/srv/data", Mode = Volume.Types.Mode.Rw });

        var binds = Map(TestTasks.Spec(task, Sandbox)).Parameters.HostConfig.Binds;

        Assert.That(binds, Is.EqualTo(new[] { "/srv/data:/data:rw", Sandbox + ":/mnt/mesos/sandbox" }));
    }

    [Test]
    public void Map_NoSandbox_MountsNothing()
    {
        Assert.That(Map(TestTasks.Task("true")).Parameters.HostConfig.Binds, Is.Empty);
    }

    [Test]
    public void Map_SandboxWithColon_IsAMountNotABind()
    {
        // MESOS-1833: "source:target" cannot express a source with ':'; HostConfig.Mounts can.
        const string colonSandbox = "/var/lib/mesos/slaves/S0/frameworks/F0/executors/ct:1700000000000:0:job:/runs/R1";
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume { ContainerPath = "/cache", HostPath = "cache", Mode = Volume.Types.Mode.Ro });
        task.Container.Volumes.Add(new Volume
        {
            ContainerPath = "/work",
            Mode = Volume.Types.Mode.Rw,
            Source = new Volume.Types.Source
            {
                Type = Volume.Types.Source.Types.Type.SandboxPath,
                SandboxPath = new Volume.Types.Source.Types.SandboxPath { Type = Volume.Types.Source.Types.SandboxPath.Types.Type.Self, Path = "work" },
            },
        });
        task.Container.Volumes.Add(new Volume { ContainerPath = "/data", HostPath = "/srv/data", Mode = Volume.Types.Mode.Rw });

        var host = Map(TestTasks.Spec(task, colonSandbox)).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.Binds, Is.EqualTo(new[] { "/srv/data:/data:rw" }), "sources without ':' stay binds");
            Assert.That(
                host.Mounts.Select(m => $"{m.Type} {m.Source} -> {m.Target} ro={m.ReadOnly?.ToString() ?? "unset"}"),
                Is.EqualTo(new[]
                {
                    $"bind {colonSandbox}/cache -> /cache ro=True",
                    $"bind {colonSandbox}/work -> /work ro=unset",
                    $"bind {colonSandbox} -> /mnt/mesos/sandbox ro=unset",
                }));
        });
    }

    [Test]
    public void Map_HostPathWithColon_IsAReadOnlyMountWhenRo()
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume { ContainerPath = "/certs", HostPath = "/etc/a:b", Mode = Volume.Types.Mode.Ro });

        var host = Map(task).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.Binds, Is.Empty);
            Assert.That(host.Mounts.Single().Source, Is.EqualTo("/etc/a:b"));
            Assert.That(host.Mounts.Single().Target, Is.EqualTo("/certs"));
            Assert.That(host.Mounts.Single().ReadOnly, Is.True);
        });
    }

    [TestCase("cache", "/cache", Volume.Types.Mode.Rw, Sandbox + "/cache:/cache:rw")]
    [TestCase("/etc/ssl", "certs", Volume.Types.Mode.Ro, "/etc/ssl:/mnt/mesos/sandbox/certs:ro")]
    [TestCase("/srv", "/srv", Volume.Types.Mode.Ro, "/srv:/srv:ro")]
    public void Map_HostPathVolume_ResolvesRelativePathsLikeMesos(string hostPath, string containerPath, Volume.Types.Mode mode, string expected)
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume { ContainerPath = containerPath, HostPath = hostPath, Mode = mode });

        Assert.That(Map(TestTasks.Spec(task, Sandbox)).Parameters.HostConfig.Binds[0], Is.EqualTo(expected));
    }

    [Test]
    public void Map_BothPathsRelative_Fails()
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume { ContainerPath = "b", HostPath = "a", Mode = Volume.Types.Mode.Rw });

        var ex = Assert.Throws<ContainerizerException>(() => Map(TestTasks.Spec(task, Sandbox)));
        Assert.That(ex.Message, Does.Contain("are relative"));
    }

    [Test]
    public void Map_DockerVolume_IsAVolumeMountWithDriverOptionsAndLabels()
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume
        {
            ContainerPath = "/v",
            Mode = Volume.Types.Mode.Ro,
            Source = new Volume.Types.Source
            {
                Type = Volume.Types.Source.Types.Type.DockerVolume,
                DockerVolume = new Volume.Types.Source.Types.DockerVolume
                {
                    Name = "data1",
                    Driver = "local",
                    DriverOptions = new Parameters { Parameter = { TestTasks.Parameter("type", "tmpfs"), TestTasks.Parameter("device", "tmpfs") } },
                },
            },
        });

        var mount = Map(task).Parameters.HostConfig.Mounts.Single();

        Assert.Multiple(() =>
        {
            Assert.That((mount.Type, mount.Source, mount.Target, mount.ReadOnly), Is.EqualTo(("volume", "data1", "/v", (bool?)true)));
            Assert.That(mount.VolumeOptions.DriverConfig.Name, Is.EqualTo("local"));
            Assert.That(mount.VolumeOptions.DriverConfig.Options, Is.EquivalentTo(new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }));
            Assert.That(mount.VolumeOptions.Labels["run"], Is.EqualTo("r1"));
            Assert.That(mount.VolumeOptions.Labels[DockerLabels.TaskId], Is.EqualTo(task.TaskId.Value));
        });
    }

    [Test]
    public void Map_HostPathAndSandboxPathSources_AreBinds()
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume
        {
            ContainerPath = "/h",
            Mode = Volume.Types.Mode.Rw,
            Source = new Volume.Types.Source { Type = Volume.Types.Source.Types.Type.HostPath, HostPath = new Volume.Types.Source.Types.HostPath { Path = "/srv" } },
        });
        task.Container.Volumes.Add(new Volume
        {
            ContainerPath = "/s",
            Mode = Volume.Types.Mode.Ro,
            Source = new Volume.Types.Source
            {
                Type = Volume.Types.Source.Types.Type.SandboxPath,
                SandboxPath = new Volume.Types.Source.Types.SandboxPath { Type = Volume.Types.Source.Types.SandboxPath.Types.Type.Self, Path = "shared" },
            },
        });

        var binds = Map(TestTasks.Spec(task, Sandbox)).Parameters.HostConfig.Binds;

        Assert.That(binds.Take(2), Is.EqualTo(new[] { "/srv:/h:rw", Sandbox + "/shared:/s:ro" }));
    }

    [Test]
    public void Map_UnsupportedVolumeSource_FailsNamingIt()
    {
        var task = TestTasks.Task("true");
        task.Container.Volumes.Add(new Volume
        {
            ContainerPath = "/secret",
            Mode = Volume.Types.Mode.Ro,
            Source = new Volume.Types.Source { Type = Volume.Types.Source.Types.Type.Secret, Secret = new Secret() },
        });

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("'/secret'").And.Contain("Secret"));
    }

#pragma warning disable CS0612 // volume_driver is deprecated in Mesos but still honoured.
    [Test]
    public void Map_VolumeDriver_MakesRelativeHostPathsVolumeNames()
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.VolumeDriver = "rexray";
        task.Container.Volumes.Add(new Volume { ContainerPath = "/v", HostPath = "vol1", Mode = Volume.Types.Mode.Rw });

        var host = Map(TestTasks.Spec(task, Sandbox)).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.Binds[0], Is.EqualTo("vol1:/v:rw"));
            Assert.That(host.VolumeDriver, Is.EqualTo("rexray"));
        });
    }
#pragma warning restore CS0612

    [TestCase(Network.Host, "host")]
    [TestCase(Network.Bridge, "bridge")]
    [TestCase(Network.None, "none")]
    public void Map_NetworkMode_IsDockersNetworkMode(Network network, string expected)
    {
        Assert.That(Map(TestTasks.Task("true", network)).Parameters.HostConfig.NetworkMode, Is.EqualTo(expected));
    }

    [Test]
    public void Map_NetworkUnset_IsHostAsInMesos()
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.ClearNetwork();

        Assert.That(Map(task).Parameters.HostConfig.NetworkMode, Is.EqualTo("host"));
    }

    [Test]
    public void Map_UserNetwork_UsesTheNetworkInfoName()
    {
        var task = TestTasks.Task("true", Network.User);
        task.Container.NetworkInfos.Add(new NetworkInfo { Name = "net1" });

        Assert.That(Map(task).Parameters.HostConfig.NetworkMode, Is.EqualTo("net1"));
    }

    [Test]
    public void Map_UserNetworkWithoutName_Fails()
    {
        var ex = Assert.Throws<ContainerizerException>(() => Map(TestTasks.Task("true", Network.User)));
        Assert.That(ex.Message, Does.Contain("network_infos"));
    }

    [Test]
    public void Map_NetworkParameter_OverridesTheMode()
    {
        var task = TestTasks.Task("true", Network.Bridge);
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("net", "none"));

        Assert.That(Map(task).Parameters.HostConfig.NetworkMode, Is.EqualTo("none"));
    }

    [Test]
    public void Map_TwoNetworkParameters_Fail()
    {
        var task = TestTasks.Task("true", Network.Bridge);
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("net", "none"));
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("network", "host"));

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("'network'"));
    }

    [Test]
    public void Map_Hostname_IsSetOffHostNetwork()
    {
        var task = TestTasks.Task("true", Network.Bridge);
        task.Container.Hostname = "web-1";

        Assert.That(Map(task).Parameters.Hostname, Is.EqualTo("web-1"));
    }

    [Test]
    public void Map_HostnameWithHostNetwork_Fails()
    {
        var task = TestTasks.Task("true", Network.Host);
        task.Container.Hostname = "web-1";

        Assert.Throws<ContainerizerException>(() => Map(task));
    }

    [Test]
    public void Map_PortMappings_BindHostPortsFromTheResources()
    {
        var task = TestTasks.Task("true", Network.Bridge);
        task.Resources.Add(TestTasks.Ports(31000, 31010));
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = 31000, ContainerPort = 80 });
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = 31001, ContainerPort = 53, Protocol = "UDP" });

        var parameters = Map(task).Parameters;

        Assert.Multiple(() =>
        {
            Assert.That(parameters.HostConfig.PortBindings["80/tcp"].Single().HostPort, Is.EqualTo("31000"));
            Assert.That(parameters.HostConfig.PortBindings["53/udp"].Single().HostPort, Is.EqualTo("31001"));
            Assert.That(parameters.ExposedPorts.Keys, Is.EquivalentTo(new[] { "80/tcp", "53/udp" }));
        });
    }

    [Test]
    public void Map_PortOutsideResources_Fails()
    {
        var task = TestTasks.Task("true", Network.Bridge);
        task.Resources.Add(TestTasks.Ports(31000, 31010));
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = 8080, ContainerPort = 80 });

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("8080"));
    }

    [TestCase(Network.Host)]
    [TestCase(Network.None)]
    public void Map_PortMappingsWithoutBridgeOrUser_Fail(Network network)
    {
        var task = TestTasks.Task("true", network);
        task.Resources.Add(TestTasks.Ports(31000, 31010));
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = 31000, ContainerPort = 80 });

        Assert.Throws<ContainerizerException>(() => Map(task));
    }

    [Test]
    public void Map_PortMappingsWithoutPortResources_Fail()
    {
        var task = TestTasks.Task("true", Network.Bridge);
        task.Container.Docker.PortMappings.Add(new PortMapping { HostPort = 31000, ContainerPort = 80 });

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("port resources"));
    }

    [TestCase(Network.Bridge, null, "10.0.0.1")]
    [TestCase(Network.User, "net1", "10.0.0.2")]
    [TestCase(Network.User, "other", "10.0.0.3")]
    [TestCase(Network.Host, null, null)]
    public void Map_DefaultDns_PicksTheEntryForTheNetwork(Network network, string? networkName, string? expected)
    {
        var dns = new DefaultDnsSettings
        {
            Bridge = new DnsSettings { Nameservers = ["10.0.0.1"], Search = ["b.example"], Options = ["ndots:1"] },
            Networks = new Dictionary<string, DnsSettings> { ["net1"] = new() { Nameservers = ["10.0.0.2"] } },
            UserNetwork = new DnsSettings { Nameservers = ["10.0.0.3"] },
        };
        var task = TestTasks.Task("true", network);
        if (networkName != null)
        {
            task.Container.NetworkInfos.Add(new NetworkInfo { Name = networkName });
        }

        var host = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { DefaultDns = dns }).Parameters.HostConfig;

        Assert.That(host.DNS?.FirstOrDefault(), Is.EqualTo(expected));
    }

    [Test]
    public void Map_DnsParameter_SwitchesOffTheDefaults()
    {
        var dns = new DefaultDnsSettings { Bridge = new DnsSettings { Nameservers = ["10.0.0.1"], Search = ["b.example"] } };
        var task = TestTasks.Task("true", Network.Bridge);
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("dns-opt", "ndots:3"));

        var host = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { DefaultDns = dns }).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.DNS, Is.Null.Or.Empty);
            Assert.That(host.DNSSearch, Is.Null.Or.Empty);
            Assert.That(host.DNSOptions, Is.EqualTo(new[] { "ndots:3" }));
        });
    }

    [TestCase(0.5, 512)]
    [TestCase(2.0, 2048)]
    [TestCase(0.001, 2)]
    public void Map_Cpus_SetSharesWithMesosMinimum(double cpus, long shares)
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("cpus", cpus));

        var host = Map(task).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.CPUShares, Is.EqualTo(shares));
            Assert.That(host.CPUQuota, Is.Zero, "no CFS quota without --cgroups_enable_cfs");
        });
    }

    [TestCase(0.5, 50_000)]
    [TestCase(0.001, 1_000)]
    [TestCase(1.25, 125_000)]
    public void Map_CpusWithCfs_SetQuotaPer100msPeriod(double cpus, long quota)
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("cpus", cpus));

        var host = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { CgroupsEnableCfs = true }).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.CPUQuota, Is.EqualTo(quota));
            Assert.That(host.CPUPeriod, Is.EqualTo(100_000));
        });
    }

    [Test]
    public void Map_CpuLimit_SetsTheQuotaWithoutCfsFlag_AndInfiniteLimitSetsNone()
    {
        var limited = TestTasks.Task("true");
        limited.Resources.Add(TestTasks.Scalar("cpus", 0.5));
        limited.Limits["cpus"] = new Value.Types.Scalar { Value = 2 };
        var unlimited = TestTasks.Task("true");
        unlimited.Resources.Add(TestTasks.Scalar("cpus", 0.5));
        unlimited.Limits["cpus"] = new Value.Types.Scalar { Value = double.PositiveInfinity };

        Assert.Multiple(() =>
        {
            Assert.That(Map(limited).Parameters.HostConfig.CPUQuota, Is.EqualTo(200_000));
            Assert.That(ContainerMapping.Map(TestTasks.Spec(unlimited), Settings() with { CgroupsEnableCfs = true }).Parameters.HostConfig.CPUQuota, Is.Zero);
        });
    }

    [TestCase(128, 128)]
    [TestCase(16, 32)]
    [TestCase(64.9, 64)]
    public void Map_Memory_IsAtLeast32MbAndLeavesSwapToDockerLikeMesos(double mem, long expectedMb)
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("mem", mem));

        var host = Map(task).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.Memory, Is.EqualTo(expectedMb * MiB));
            Assert.That(host.MemorySwap, Is.Zero, "Mesos never sets --memory-swap");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Map_DisableSwap_SetsSwapToTheMemoryLimit(bool withLimit)
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("mem", 128));
        if (withLimit)
        {
            task.Limits["mem"] = new Value.Types.Scalar { Value = 256 };
        }

        var host = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { DisableSwap = true }).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.Memory, Is.EqualTo((withLimit ? 256 : 128) * MiB));
            Assert.That(host.MemorySwap, Is.EqualTo(host.Memory));
        });
    }

    [Test]
    public void Map_DisableSwapWithoutMemory_SetsNoSwap()
    {
        var host = ContainerMapping.Map(TestTasks.Spec(TestTasks.Task("true")), Settings() with { DisableSwap = true }).Parameters.HostConfig;

        Assert.That(host.MemorySwap, Is.Zero);
    }

    [Test]
    public void Map_DisableSwapAndMemorySwapParameter_ParameterWins()
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("mem", 128));
        task.Container.Docker.Parameters.Add(new Parameter { Key = "memory-swap", Value = "-1" });

        var host = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { DisableSwap = true }).Parameters.HostConfig;

        Assert.That(host.MemorySwap, Is.EqualTo(-1));
    }

    [Test]
    public void Map_MemoryLimitAboveRequest_SetsReservationAndOomScore()
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("mem", 256));
        task.Limits["mem"] = new Value.Types.Scalar { Value = 1024 };

        var host = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { HostMemoryBytes = 1024 * MiB * 4 }).Parameters.HostConfig;

        Assert.Multiple(() =>
        {
            Assert.That(host.Memory, Is.EqualTo(1024 * MiB));
            Assert.That(host.MemoryReservation, Is.EqualTo(256 * MiB));
            Assert.That(host.OomScoreAdj, Is.EqualTo(1000 - (1000 * 256 / 4096)));
        });
    }

    [Test]
    public void Map_ExecutorResources_AreAddedAsInMesos()
    {
        var task = TestTasks.Task("true");
        task.Resources.Add(TestTasks.Scalar("cpus", 0.5));
        task.Executor = new ExecutorInfo { ExecutorId = new ExecutorID { Value = "e" }, Resources = { TestTasks.Scalar("cpus", 0.25) } };

        Assert.That(Map(task).Parameters.HostConfig.CPUShares, Is.EqualTo(768));
    }

    [Test]
    public void Map_Labels_LayerTaskHookOperatorParameterThenOurs()
    {
        var task = TestTasks.Task("true", taskId: "t-1");
        task.Labels = new Labels
        {
            Labels_ =
            {
                new Label { Key = "a", Value = "task" },
                new Label { Key = "b", Value = "task" },
                new Label { Key = "novalue" },
                new Label { Key = DockerLabels.TaskId, Value = "forged" },
            },
        };
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("label", "c=param"));
        var spec = TestTasks.Spec(task);
        spec.Labels["b"] = "hook";

        var labels = Map(spec).Parameters.Labels;

        Assert.That(labels, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["a"] = "task",
            ["b"] = "hook",
            ["novalue"] = string.Empty,
            ["c"] = "param",
            ["run"] = "r1",
            [DockerLabels.TaskId] = "t-1",
            [DockerLabels.ExecutorId] = "executor-1",
            [DockerLabels.FrameworkId] = "framework-1",
        }));
    }

    [Test]
    public void Map_Privileged_IsHostConfigPrivileged()
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.Privileged = true;

        Assert.That(Map(task).Parameters.HostConfig.Privileged, Is.True);
    }

    [Test]
    public void Map_NameAndImage_AreTheSettingsAndTheTasks()
    {
        var mapped = Map(TestTasks.Task("true"));

        Assert.Multiple(() =>
        {
            Assert.That(mapped.Parameters.Name, Is.EqualTo("mesos-test"));
            Assert.That(mapped.Parameters.Image, Is.EqualTo(TestTasks.Image));
            Assert.That(mapped.Image, Is.EqualTo(TestTasks.Image));
        });
    }

    [TestCase(false, null, PullPolicy.IfNotPresent)]
    [TestCase(true, null, PullPolicy.Always)]
    [TestCase(true, "never", PullPolicy.Never)]
    [TestCase(false, "always", PullPolicy.Always)]
    public void Map_PullPolicy_FollowsForcePullAndThePullParameter(bool forcePull, string? pullParameter, PullPolicy expected)
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.ForcePullImage = forcePull;
        if (pullParameter != null)
        {
            task.Container.Docker.Parameters.Add(TestTasks.Parameter("pull", pullParameter));
        }

        Assert.That(Map(task).Pull, Is.EqualTo(expected));
    }

    [TestCase(false, null, PullPolicy.IfNotPresent, PullPolicy.IfNotPresent)]
    [TestCase(true, null, PullPolicy.IfNotPresent, PullPolicy.IfNotPresent)]
    [TestCase(true, null, PullPolicy.Never, PullPolicy.Never)]
    [TestCase(true, null, PullPolicy.Always, PullPolicy.Always)]
    [TestCase(true, "always", PullPolicy.IfNotPresent, PullPolicy.Always)]
    public void Map_ImagePulledByAgent_ForcePullIsLeftToTheAgent(bool forcePull, string? pullParameter, PullPolicy configured, PullPolicy expected)
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.ForcePullImage = forcePull;
        if (pullParameter != null)
        {
            task.Container.Docker.Parameters.Add(TestTasks.Parameter("pull", pullParameter));
        }

        var mapped = ContainerMapping.Map(TestTasks.Spec(task), Settings() with { ImagePulledByAgent = true, Pull = configured });

        Assert.That(mapped.Pull, Is.EqualTo(expected));
    }

    [Test]
    public void Map_ParametersAfterMesosOptions_Override()
    {
        var task = TestTasks.Task("echo hi");
        task.Resources.Add(TestTasks.Scalar("mem", 64));
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("entrypoint", "/bin/echo"));
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("memory-swap", "-1"));

        var parameters = Map(task).Parameters;

        Assert.Multiple(() =>
        {
            Assert.That(parameters.Entrypoint, Is.EqualTo(new[] { "/bin/echo" }));
            Assert.That(parameters.HostConfig.MemorySwap, Is.EqualTo(-1));
        });
    }

    [Test]
    public void Map_UnknownParameter_FailsNamingIt()
    {
        var task = TestTasks.Task("true");
        task.Container.Docker.Parameters.Add(TestTasks.Parameter("frobnicate", "1"));

        var ex = Assert.Throws<ContainerizerException>(() => Map(task));
        Assert.That(ex.Message, Does.Contain("'frobnicate'"));
    }

    [Test]
    public void Map_NotADockerTask_Fails()
    {
        var task = TestTasks.Task("true");
        task.Container.Type = ContainerInfo.Types.Type.Mesos;

        Assert.Throws<ContainerizerException>(() => Map(task));
    }

    [Test]
    public void Map_NoContainerInfo_Fails()
    {
        var task = TestTasks.Task("true");
        task.Container = null;

        Assert.Throws<ContainerizerException>(() => Map(task));
    }

    [TestCase("busybox", "busybox:latest")]
    [TestCase("busybox:1.36", "busybox:1.36")]
    [TestCase("registry:5000/app", "registry:5000/app:latest")]
    [TestCase("registry:5000/app:2", "registry:5000/app:2")]
    [TestCase("app@sha256:abc", "app@sha256:abc")]
    public void WithDefaultTag_NameOnly_AddsLatest(string image, string expected)
    {
        Assert.That(ImageReference.WithDefaultTag(image), Is.EqualTo(expected));
    }

    private static MappingSettings Settings() => new()
    {
        ContainerName = "mesos-test",
        ExtraLabels = new Dictionary<string, string> { ["run"] = "r1" },
        ReadFile = _ => throw new InvalidOperationException("no files in mapping tests"),
    };

    private static MappedContainer Map(TaskInfo task) => Map(TestTasks.Spec(task));

    private static MappedContainer Map(ContainerSpec spec, IReadOnlyDictionary<string, string> taskEnvironment = null) =>
        ContainerMapping.Map(spec, Settings() with
        {
            SandboxDirectory = spec.SandboxDirectory,
            TaskEnvironment = taskEnvironment ?? new Dictionary<string, string>(),
        });

    private static Dictionary<string, string> Env(MappedContainer mapped) =>
        mapped.Parameters.Env.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
