#nullable disable warnings

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mesos.Executor.Docker.Internal.Engine;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>The <c>docker run</c> parameter table: every flag, good and bad values, unknown and refused flags.</summary>
[TestFixture]
public sealed class DockerRunFlagsTests
{
    private const string SeccompPath = "/profiles/seccomp.json";

    /// <summary>Every supported flag with a value that parses and the field it sets.</summary>
    public static IEnumerable<TestCaseData> GoodCases() =>
        Good().Select(c => new TestCaseData(c).SetArgDisplayNames($"--{c.Flag}={c.Value}"));

    public static IEnumerable<TestCaseData> RefusedFlags() =>
        DockerRunFlags.Unsupported.Select(f => new TestCaseData(f.Key, f.Value).SetArgDisplayNames(f.Key));

    private static IEnumerable<GoodCase> Good()
    {
        yield return new("env", "A=1=2", c => c.Environment["A"], "1=2");
        yield return new("label", "team=web", c => c.Labels["team"], "web");
        yield return new("label", "flag", c => c.Labels["flag"], string.Empty);
        yield return new("user", "nobody:nogroup", c => c.Container.User, "nobody:nogroup");
        yield return new("workdir", "/app", c => c.Container.WorkingDir, "/app");
        yield return new("hostname", "web-1", c => c.Container.Hostname, "web-1");
        yield return new("domainname", "example.com", c => c.Container.Domainname, "example.com");
        yield return new("entrypoint", "/bin/true", c => Join(c.Container.Entrypoint), "/bin/true");
        yield return new("entrypoint", string.Empty, c => c.Container.Entrypoint.Count, 1);
        yield return new("stop-signal", "SIGUSR1", c => c.Container.StopSignal, "SIGUSR1");
        yield return new("stop-timeout", "5", c => c.Container.StopTimeout, TimeSpan.FromSeconds(5));
        yield return new("tty", "true", c => c.Container.Tty, true);
        yield return new("expose", "8000-8001/udp", c => Join(c.Container.ExposedPorts.Keys), "8000/udp,8001/udp");
        yield return new("no-healthcheck", "true", c => Join(c.Container.Healthcheck.Test), "NONE");
        yield return new("volume", "/host:/data:ro", c => Join(c.Host.Binds), "/host:/data:ro");
        yield return new("volume", "named:/data", c => Join(c.Host.Binds), "named:/data");
        yield return new("volume", "/data", c => Join(c.Container.Volumes.Keys), "/data");
        yield return new("volumes-from", "other:ro", c => Join(c.Host.VolumesFrom), "other:ro");
        yield return new("volume-driver", "local", c => c.Host.VolumeDriver, "local");
        yield return new("mount", "type=bind,source=/h,target=/c,readonly", c => Describe(c.Host.Mounts[0]), "bind /h->/c ro");
        yield return new("mount", "type=volume,src=v1,dst=/v,volume-driver=local,volume-opt=o=size=1m,volume-nocopy", c => Describe(c.Host.Mounts[0]), "volume v1->/v rw driver=local o=size=1m nocopy");
        yield return new("mount", "type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1777", c => $"{c.Host.Mounts[0].TmpfsOptions.SizeBytes} {c.Host.Mounts[0].TmpfsOptions.Mode}", "1048576 1023");
        yield return new("tmpfs", "/run:size=64m,noexec", c => c.Host.Tmpfs["/run"], "size=64m,noexec");
        yield return new("read-only", "true", c => c.Host.ReadonlyRootfs, true);
        yield return new("storage-opt", "size=10G", c => c.Host.StorageOpt["size"], "10G");
        yield return new("shm-size", "64m", c => c.Host.ShmSize, 64L * 1024 * 1024);
        yield return new("privileged", "true", c => c.Host.Privileged, true);
        yield return new("privileged", "false", c => c.Host.Privileged, false);
        yield return new("cap-add", "NET_ADMIN", c => Join(c.Host.CapAdd), "NET_ADMIN");
        yield return new("cap-drop", "ALL", c => Join(c.Host.CapDrop), "ALL");
        yield return new("security-opt", "no-new-privileges", c => Join(c.Host.SecurityOpt), "no-new-privileges");
        yield return new("security-opt", "seccomp=unconfined", c => Join(c.Host.SecurityOpt), "seccomp=unconfined");
        yield return new("security-opt", "seccomp=" + SeccompPath, c => Join(c.Host.SecurityOpt), "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        yield return new("group-add", "audio", c => Join(c.Host.GroupAdd), "audio");
        yield return new("userns", "host", c => c.Host.UsernsMode, "host");
        yield return new("device", "/dev/fuse", c => Describe(c.Host.Devices[0]), "/dev/fuse->/dev/fuse rwm");
        yield return new("device", "/dev/sda:r", c => Describe(c.Host.Devices[0]), "/dev/sda->/dev/sda r");
        yield return new("device", "/dev/sda:/dev/xvda:rw", c => Describe(c.Host.Devices[0]), "/dev/sda->/dev/xvda rw");
        yield return new("device-cgroup-rule", "c 1:3 mr", c => Join(c.Host.DeviceCgroupRules), "c 1:3 mr");
        yield return new("init", "true", c => c.Host.Init, true);
        yield return new("pid", "host", c => c.Host.PidMode, "host");
        yield return new("pid", "container:other", c => c.Host.PidMode, "container:other");
        yield return new("ipc", "shareable", c => c.Host.IpcMode, "shareable");
        yield return new("uts", "host", c => c.Host.UTSMode, "host");
        yield return new("cgroupns", "private", c => c.Host.CgroupnsMode, "private");
        yield return new("cgroup-parent", "/mesos", c => c.Host.CgroupParent, "/mesos");
        yield return new("runtime", "runc", c => c.Host.Runtime, "runc");
        yield return new("isolation", "default", c => c.Host.Isolation, "default");
        yield return new("sysctl", "net.core.somaxconn=1024", c => c.Host.Sysctls["net.core.somaxconn"], "1024");
        yield return new("ulimit", "nofile=1024:2048", c => Describe(c.Host.Ulimits[0]), "nofile 1024 2048");
        yield return new("ulimit", "nproc=-1", c => Describe(c.Host.Ulimits[0]), "nproc -1 -1");
        yield return new("restart", "no", c => c.Host.RestartPolicy.Name, "no");
        yield return new("log-driver", "json-file", c => c.Host.LogConfig.Type, "json-file");
        yield return new("log-opt", "max-size=10m", c => c.Host.LogConfig.Config["max-size"], "10m");
        yield return new("cpu-shares", "512", c => c.Host.CPUShares, 512L);
        yield return new("cpu-quota", "50000", c => c.Host.CPUQuota, 50000L);
        yield return new("cpu-period", "100000", c => c.Host.CPUPeriod, 100000L);
        yield return new("cpu-rt-period", "1000000", c => c.Host.CPURealtimePeriod, 1000000L);
        yield return new("cpu-rt-runtime", "950000", c => c.Host.CPURealtimeRuntime, 950000L);
        yield return new("cpus", "1.5", c => c.Host.NanoCPUs, 1_500_000_000L);
        yield return new("cpuset-cpus", "0-1,3", c => c.Host.CpusetCpus, "0-1,3");
        yield return new("cpuset-mems", "0", c => c.Host.CpusetMems, "0");
        yield return new("memory", "1g", c => c.Host.Memory, 1024L * 1024 * 1024);
        yield return new("memory", "1.5GiB", c => c.Host.Memory, 1536L * 1024 * 1024);
        yield return new("memory", "512", c => c.Host.Memory, 512L);
        yield return new("memory", "10 MiB", c => c.Host.Memory, 10L * 1024 * 1024);
        yield return new("memory", "9007199254740991k", c => c.Host.Memory, 9007199254740991L * 1024);
        yield return new("memory", "9223372036854775807", c => c.Host.Memory, long.MaxValue);
        yield return new("memory-swap", "-1", c => c.Host.MemorySwap, -1L);
        yield return new("memory-swap", "2g", c => c.Host.MemorySwap, 2L * 1024 * 1024 * 1024);
        yield return new("memory-reservation", "512m", c => c.Host.MemoryReservation, 512L * 1024 * 1024);
        yield return new("memory-swappiness", "10", c => c.Host.MemorySwappiness, 10L);
        yield return new("oom-kill-disable", "true", c => c.Host.OomKillDisable, true);
        yield return new("oom-score-adj", "-500", c => c.Host.OomScoreAdj, -500L);
        yield return new("pids-limit", "100", c => c.Host.PidsLimit, 100L);
        yield return new("blkio-weight", "500", c => (int)c.Host.BlkioWeight, 500);
        yield return new("blkio-weight-device", "/dev/sda:200", c => $"{c.Host.BlkioWeightDevice[0].Path} {c.Host.BlkioWeightDevice[0].Weight}", "/dev/sda 200");
        yield return new("device-read-bps", "/dev/sda:1mb", c => $"{c.Host.BlkioDeviceReadBps[0].Path} {c.Host.BlkioDeviceReadBps[0].Rate}", "/dev/sda 1048576");
        yield return new("device-write-bps", "/dev/sda:1k", c => $"{c.Host.BlkioDeviceWriteBps[0].Path} {c.Host.BlkioDeviceWriteBps[0].Rate}", "/dev/sda 1024");
        yield return new("device-read-iops", "/dev/sda:1000", c => $"{c.Host.BlkioDeviceReadIOps[0].Path} {c.Host.BlkioDeviceReadIOps[0].Rate}", "/dev/sda 1000");
        yield return new("device-write-iops", "/dev/sda:10", c => $"{c.Host.BlkioDeviceWriteIOps[0].Path} {c.Host.BlkioDeviceWriteIOps[0].Rate}", "/dev/sda 10");
        yield return new("publish", "127.0.0.1:8080:80/udp", c => Describe(c.Host.PortBindings) + " " + Join(c.Container.ExposedPorts.Keys), "80/udp=127.0.0.1:8080 80/udp");
        yield return new("publish", "80", c => Describe(c.Host.PortBindings), "80/tcp=:");
        yield return new("publish", "[::1]::80", c => Describe(c.Host.PortBindings), "80/tcp=::1:");
        yield return new("publish", "8000-8001:80-81", c => Describe(c.Host.PortBindings), "80/tcp=:8000,81/tcp=:8001");
        yield return new("publish", "9000-9010:80", c => Describe(c.Host.PortBindings), "80/tcp=:9000-9010");
        yield return new("publish-all", "true", c => c.Host.PublishAllPorts, true);
        yield return new("dns", "8.8.8.8", c => Join(c.Host.DNS), "8.8.8.8");
        yield return new("dns-search", "example.com", c => Join(c.Host.DNSSearch), "example.com");
        yield return new("dns-option", "ndots:2", c => Join(c.Host.DNSOptions), "ndots:2");
        yield return new("dns-opt", "timeout:1", c => Join(c.Host.DNSOptions), "timeout:1");
        yield return new("add-host", "db:10.0.0.1", c => Join(c.Host.ExtraHosts), "db:10.0.0.1");
        yield return new("add-host", "gw=host-gateway", c => Join(c.Host.ExtraHosts), "gw:host-gateway");
        yield return new("link", "other:alias", c => Join(c.Host.Links), "other:alias");
        yield return new("network-alias", "web", c => Join(c.Container.NetworkingConfig.EndpointsConfig["net1"].Aliases), "web");
        yield return new("net-alias", "api", c => Join(c.Container.NetworkingConfig.EndpointsConfig["net1"].Aliases), "api");
        yield return new("ip", "172.18.0.10", c => c.Container.NetworkingConfig.EndpointsConfig["net1"].IPAMConfig.IPv4Address, "172.18.0.10");
        yield return new("ip6", "fd00::10", c => c.Container.NetworkingConfig.EndpointsConfig["net1"].IPAMConfig.IPv6Address, "fd00::10");
        yield return new("link-local-ip", "169.254.1.1", c => Join(c.Container.NetworkingConfig.EndpointsConfig["net1"].IPAMConfig.LinkLocalIPs), "169.254.1.1");
        yield return new("pull", "always", c => c.Pull, PullPolicy.Always);
        yield return new("pull", "missing", c => c.Pull, PullPolicy.IfNotPresent);
        yield return new("pull", "never", c => c.Pull, PullPolicy.Never);
    }

    /// <summary>Every supported flag with a value that must be refused.</summary>
    public static IEnumerable<TestCaseData> BadCases()
    {
        var cases = new (string Flag, string Value)[]
        {
            ("env", "NOVALUE"), ("label", string.Empty), ("user", string.Empty), ("workdir", "relative"),
            ("hostname", string.Empty), ("domainname", string.Empty), ("stop-signal", "sig usr"), ("stop-timeout", "5s"),
            ("tty", "yes"), ("expose", "80/xyz"), ("no-healthcheck", "maybe"), ("volume", "/h:relative"),
            ("volume", "/h:/c:bogus"), ("volume", ":/c"), ("volumes-from", "other:xx"), ("volume-driver", string.Empty),
            ("mount", "type=bind,target=/c"), ("mount", "type=volume,target=relative"), ("mount", "type=nfs,target=/c"),
            ("mount", "target=/c,bogus=1"), ("mount", "type=tmpfs,target=/t,volume-driver=local"), ("tmpfs", "run"),
            ("read-only", "2"), ("storage-opt", "size"), ("shm-size", "64x"), ("shm-size", "-1"), ("privileged", "on"),
            ("cap-add", "NET ADMIN"), ("cap-drop", "1"), ("security-opt", string.Empty), ("security-opt", "seccomp=/missing.json"),
            ("security-opt", "seccomp=/profiles/not-json.json"), ("group-add", string.Empty), ("userns", "private"),
            ("device", "/dev/fuse:/dev/fuse:rwx"), ("device", "fuse"), ("device", "/a:/b:r:x"), ("device-cgroup-rule", string.Empty),
            ("init", "x"), ("pid", "private"), ("ipc", "weird"), ("uts", "container:x"), ("cgroupns", "none"),
            ("cgroup-parent", string.Empty), ("runtime", string.Empty), ("isolation", "hyperv"), ("sysctl", "net.core.somaxconn"),
            ("ulimit", "nofile=2048:1024"), ("ulimit", "bogus=1"), ("ulimit", "nofile"), ("restart", "always"),
            ("restart", "on-failure:3"), ("log-driver", string.Empty), ("log-opt", "max-size"), ("cpu-shares", "-1"),
            ("cpu-quota", "x"), ("cpu-period", "2000000"), ("cpu-rt-period", "x"), ("cpu-rt-runtime", "x"), ("cpus", "-1"),
            ("cpus", "two"), ("cpuset-cpus", "0-"), ("cpuset-mems", "a"), ("memory", "1q"), ("memory", "1.2.3g"),
            ("memory-swap", "-2"), ("memory-reservation", "x"), ("memory-swappiness", "101"), ("oom-kill-disable", "x"),
            ("oom-score-adj", "1001"), ("pids-limit", "-2"), ("blkio-weight", "5"), ("blkio-weight-device", "/dev/sda:5"),
            ("device-read-bps", "/dev/sda"), ("device-write-bps", "sda:1m"), ("device-read-iops", "/dev/sda:x"),
            ("device-write-iops", "/dev/sda:-1"), ("publish", "70000:80"), ("publish", "1.2.3.4.5:80:80"), ("publish", "80/xyz"),
            ("publish", "8000-8002:80-81"), ("publish", "::1:80:80"), ("publish-all", "x"), ("dns", "not-an-ip"),
            ("dns-search", "-bad-.com"), ("dns-option", string.Empty), ("dns-opt", string.Empty), ("add-host", "db:notip"),
            ("add-host", "db"), ("link", string.Empty), ("network-alias", string.Empty), ("net-alias", string.Empty), ("ip", "x"),
            ("ip6", "x"), ("link-local-ip", "x"), ("pull", "sometimes"),
            // Accepted by the former regexes ($ before a final newline, \d matching any Unicode digit) or
            // escaping as FormatException/OverflowException instead of a flag error.
            ("memory", "1g\n"), ("memory", "١٢m"), ("memory", "99999999999999999999999999999999"),
            ("memory-reservation", "9999999999999999p"), ("shm-size", "9007199254740992k"), ("cpuset-cpus", "0-3\n"),
            ("stop-signal", "SIGTERM\n"), ("dns-search", "example.com\n"), ("cap-add", "ALL\n"),
            // Found by the container-mapping fuzz target (issue 16): escaped as OverflowException.
            ("cpus", "1111111111111111111111"), ("cpus", "9223372037"),
        };
        return cases.Select(c => new TestCaseData(c.Flag, c.Value).SetArgDisplayNames($"--{c.Flag}={c.Value.Replace("\n", "\\n", StringComparison.Ordinal)}"));
    }

    [TestCaseSource(nameof(GoodCases))]
    public void Apply_ValidValue_SetsTheEngineField(object goodCase)
    {
        var testCase = (GoodCase)goodCase;
        var context = NewContext();

        DockerRunFlags.Apply(context, testCase.Flag, testCase.Value);

        Assert.That(testCase.Read(context), Is.EqualTo(testCase.Expected));
    }

    [TestCaseSource(nameof(BadCases))]
    public void Apply_InvalidValue_ThrowsNamingTheFlag(string flag, string value)
    {
        var context = NewContext();

        var ex = Assert.Throws<ContainerizerException>(() => DockerRunFlags.Apply(context, flag, value));

        Assert.That(ex!.Message, Does.Contain($"'{flag}'"));
    }

    [Test]
    public void Apply_SeccompProfileNotJson_SaysWhereButNeverQuotesTheFile()
    {
        var context = NewContext();

        var ex = Assert.Throws<ContainerizerException>(() => DockerRunFlags.Apply(context, "security-opt", "seccomp=/etc/shadow"));

        Assert.That(ex!.Message, Does.Contain("'/etc/shadow' is not JSON (line 1, byte 1)"));
        Assert.That(ex.Message, Does.Not.Contain("root").And.Not.Contain("'r'").And.Not.Contain("secret"));
    }

    // Found by the container-mapping fuzz target (issue 16): each publish=1-65535 added 65,535
    // bindings, so a task's few bytes per parameter cost megabytes without limit.
    [Test]
    public void Apply_PortsBeyondOneFullRange_ThrowsNamingTheFlag()
    {
        var context = NewContext();
        DockerRunFlags.Apply(context, "publish", "1-65535");

        var ex = Assert.Throws<ContainerizerException>(() => DockerRunFlags.Apply(context, "publish", "1-65535/udp"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("'publish'").And.Contain("65535"));
            Assert.That(context.Host.PortBindings, Has.Count.EqualTo(65_535));
        });
    }

    [Test]
    public void Apply_ExposeBeyondOneFullRange_ThrowsNamingTheFlag()
    {
        var context = NewContext();
        DockerRunFlags.Apply(context, "expose", "1-65000");

        Assert.Throws<ContainerizerException>(() => DockerRunFlags.Apply(context, "expose", "1-1000/udp"));
    }

    [Test]
    public void Table_EveryFlag_HasGoodAndBadCases()
    {
        var good = Good().Select(c => c.Flag).ToHashSet();
        var bad = BadCases().Select(c => (string)c.Arguments[0]!).ToHashSet();

        Assert.Multiple(() =>
        {
            Assert.That(DockerRunFlags.Supported.Keys.Except(good), Is.Empty, "flags without a good-value test");
            // --entrypoint takes any string (an empty one resets the image's entrypoint).
            Assert.That(DockerRunFlags.Supported.Keys.Except(bad).Except(["entrypoint"]), Is.Empty, "flags without a bad-value test");
            Assert.That(DockerRunFlags.Supported.Keys.Intersect(DockerRunFlags.Unsupported.Keys), Is.Empty, "flags both supported and refused");
        });
    }

    [Test]
    public void Table_FlagsTheBriefRequires_AreAllMapped()
    {
        string[] required =
        [
            "env", "label", "volume", "volumes-from", "cap-add", "cap-drop", "ulimit", "memory-swap", "memory-reservation",
            "shm-size", "user", "workdir", "hostname", "dns", "dns-search", "dns-option", "add-host", "log-driver", "log-opt",
            "security-opt", "device", "entrypoint", "pid", "ipc", "uts", "tmpfs", "sysctl", "oom-score-adj", "oom-kill-disable",
            "pids-limit", "read-only", "init", "stop-signal", "stop-timeout", "cpuset-cpus", "cpuset-mems", "cpu-shares",
            "cpu-quota", "cpu-period", "memory", "publish", "expose", "restart", "group-add", "privileged",
        ];

        Assert.That(required.Where(f => !DockerRunFlags.Supported.ContainsKey(f)), Is.Empty);
    }

    [TestCaseSource(nameof(RefusedFlags))]
    public void Apply_RefusedFlag_ThrowsWithTheReason(string flag, string reason)
    {
        var ex = Assert.Throws<ContainerizerException>(() => DockerRunFlags.Apply(NewContext(), flag, "x"));

        Assert.That(ex!.Message, Does.Contain($"'{flag}'").And.Contain(reason));
    }

    [TestCase("no-such-flag")]
    [TestCase("e")]
    [TestCase("--env")]
    public void Apply_UnknownFlag_ThrowsNamingIt(string flag)
    {
        var ex = Assert.Throws<ContainerizerException>(() => DockerRunFlags.Apply(NewContext(), flag, "A=1"));

        Assert.That(ex!.Message, Does.Contain($"'{flag}'").And.Contain("not a docker run flag"));
    }

    [Test]
    public void Apply_RepeatedListFlags_Accumulate()
    {
        var context = NewContext();

        DockerRunFlags.Apply(context, "cap-add", "NET_ADMIN");
        DockerRunFlags.Apply(context, "cap-add", "SYS_TIME");
        DockerRunFlags.Apply(context, "env", "A=1");
        DockerRunFlags.Apply(context, "env", "A=2");

        Assert.Multiple(() =>
        {
            Assert.That(context.Host.CapAdd, Is.EqualTo(new[] { "NET_ADMIN", "SYS_TIME" }));
            Assert.That(context.Environment["A"], Is.EqualTo("2"));
        });
    }

    private static FlagContext NewContext() =>
        new(new CreateContainerParameters { HostConfig = new HostConfig() }, "net1", ReadFile);

    private static string ReadFile(string path) => path switch
    {
        SeccompPath => "{ \"defaultAction\" :  \"SCMP_ACT_ALLOW\" }",
        "/profiles/not-json.json" => "not json",
        "/etc/shadow" => "root:$6$secret-hash:19000:0:99999:7:::",
        _ => throw new FileNotFoundException("no such file", path),
    };

    /// <summary>One flag with a valid value and what it must set.</summary>
    private sealed record GoodCase(string Flag, string Value, Func<FlagContext, object?> Read, object? Expected);

    private static string Join<T>(IEnumerable<T>? values) => values is null ? "<null>" : string.Join(",", values);

    private static string Describe(Mount mount)
    {
        string text = $"{mount.Type} {mount.Source}->{mount.Target} {(mount.ReadOnly == true ? "ro" : "rw")}";
        if (mount.VolumeOptions?.DriverConfig is { } driver)
        {
            text += $" driver={driver.Name} " + string.Join(",", driver.Options.Select(o => $"{o.Key}={o.Value}"));
        }

        if (mount.VolumeOptions?.NoCopy == true)
        {
            text += " nocopy";
        }

        return text;
    }

    private static string Describe(DeviceMapping device) => $"{device.PathOnHost}->{device.PathInContainer} {device.CgroupPermissions}";

    private static string Describe(Ulimit ulimit) => $"{ulimit.Name} {ulimit.Soft} {ulimit.Hard}";

    private static string Describe(IDictionary<string, IList<PortBinding>> bindings) =>
        string.Join(",", bindings.OrderBy(b => b.Key, StringComparer.Ordinal)
            .SelectMany(b => b.Value.Select(v => $"{b.Key}={v.HostIP}:{v.HostPort}")));
}
