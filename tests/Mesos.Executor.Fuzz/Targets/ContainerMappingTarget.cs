using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.Engine;
using Mesos.Executor.Docker.Internal.Registry;
using Mesos.Executor.Reference.CommandLine;
using Mesos.V1;
using DockerInfo = Mesos.V1.ContainerInfo.Types.DockerInfo;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// TaskInfo → Docker create parameters (<see cref="ContainerMapping.Map"/>), every
/// <c>docker run</c> parameter parser included, then the create body's JSON. The input is text,
/// one item per line: <c>key=value</c> is a Docker parameter; lines starting with <c>@</c> set the
/// rest of the task (<c>@image</c>, <c>@network</c>, <c>@netname</c>, <c>@hostname</c>,
/// <c>@volume path host rw|ro</c>, <c>@port host container proto</c>, <c>@env</c>,
/// <c>@label</c>, <c>@cpus</c>, <c>@mem</c>, <c>@limit cpus|mem value</c>, <c>@cmd</c>,
/// <c>@arg</c>, <c>@user</c>, <c>@driver</c>, <c>@force</c>, <c>@privileged</c>).
/// </summary>
public sealed class ContainerMappingTarget : FuzzTarget
{
    private const string SeccompProfile = "/fuzz/seccomp.json";
    private const string NotJsonProfile = "/fuzz/not-json.json";

    private static readonly DefaultDnsSettings DefaultDns = ContainerDnsInfo.Parse("""
        {"docker": [{"network_mode": "BRIDGE", "dns": {"nameservers": ["8.8.8.8"], "search": ["a.example"], "options": ["ndots:2"]}},
                    {"network_mode": "USER", "network_name": "net2", "dns": {"nameservers": ["1.1.1.1"]}}]}
        """).ToDefaultDns();

    /// <inheritdoc />
    public override string Name => "container-mapping";

    /// <inheritdoc />
    public override string Description => "TaskInfo → container mapping, every docker run parameter parser";

    /// <summary>
    /// Plus 64 MiB: a port range expands to one entry per port (as in Docker), up to
    /// <see cref="FlagContext.MaxPortEntries"/> per container, each costing a few hundred bytes
    /// through the create body's JSON.
    /// </summary>
    public override long AllocationBound(int inputLength) => (64L << 20) + base.AllocationBound(inputLength);

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        string text = Encoding.UTF8.GetString(data);
        TaskInfo task = Samples.DockerTask();
        task.HealthCheck = null;
        task.Check = null;
        DockerInfo docker = task.Container.Docker;
        docker.Parameters.Clear();
        docker.PortMappings.Clear();
        task.Container.Volumes.Clear();
        foreach (string line in text.Split('\n'))
        {
            Apply(task, line);
        }

        var spec = new ContainerSpec
        {
            Task = task,
            Framework = Samples.Framework(),
            Executor = Samples.Executor(),
            SandboxDirectory = "/var/lib/mesos/slaves/a/frameworks/f/executors/e/runs/r",
        };
        spec.Labels["hook.label"] = "1";
        var settings = new MappingSettings
        {
            ContainerName = "mesos-fuzz",
            SandboxDirectory = spec.SandboxDirectory,
            TaskEnvironment = new Dictionary<string, string> { ["MESOS_ALLOCATION_ROLE"] = "web" },
            DefaultDns = DefaultDns,
            CgroupsEnableCfs = true,
            HostMemoryBytes = 8L << 30,
            ExtraLabels = new Dictionary<string, string> { ["operator"] = "x" },
            ReadFile = ReadFile,
        };

        MappedContainer mapped = ContainerMapping.Map(spec, settings);

        // What the containerizer does next with it: the create body, the pull reference, the registry.
        _ = DockerEngine.Json(mapped.Parameters, EngineRequestJsonContext.Write);
        _ = ImageReference.WithDefaultTag(mapped.Image);
        _ = RegistryAddress.Of(mapped.Image);
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is ContainerizerException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // The flag values of DockerRunFlagsTests and ContainerMappingTests, one flag per seed.
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "seeds", "docker-parameters.txt"));
        foreach (var group in lines.Where(l => l.Length > 0 && !l.StartsWith('#')).GroupBy(l => l.Split('=', 2)[0]))
        {
            yield return ("parameter-" + group.Key, Encoding.UTF8.GetBytes(string.Join('\n', group)));
        }

        yield return ("task-bridge", Encoding.UTF8.GetBytes("@image busybox:1\n@network bridge\n@port 31000 80 tcp\n@volume /data /tmp ro\n@env A=1\n@label team=web\n@cpus 0.5\n@mem 128\n@cmd sleep 10"));
        yield return ("task-user", Encoding.UTF8.GetBytes("@image registry.example:5000/app@sha256:0123\n@network user\n@netname net2\n@hostname web-1\n@volume relative  rw\n@arg /bin/true\n@user nobody\n@limit mem 256\n@limit cpus 2"));
        yield return ("task-host", Encoding.UTF8.GetBytes("@image busybox\n@network host\n@driver local\n@volume vol /data rw\n@force\n@privileged\nsecurity-opt=seccomp=/fuzz/seccomp.json"));
    }

    private static void Apply(TaskInfo task, string line)
    {
        DockerInfo docker = task.Container.Docker;
        if (!line.StartsWith('@'))
        {
            string[] kv = line.Split('=', 2);
            docker.Parameters.Add(new Parameter { Key = kv[0], Value = kv.Length > 1 ? kv[1] : string.Empty });
            return;
        }

        string[] words = line[1..].Split(' ');
        string directive = words[0];
        string Word(int i) => i < words.Length ? words[i] : string.Empty;
        string rest = string.Join(' ', words.Skip(1));
        switch (directive)
        {
            case "image":
                docker.Image = rest;
                break;
            case "network":
                docker.Network = Word(1) switch
                {
                    "host" => DockerInfo.Types.Network.Host,
                    "bridge" => DockerInfo.Types.Network.Bridge,
                    "none" => DockerInfo.Types.Network.None,
                    "user" => DockerInfo.Types.Network.User,
                    _ => (DockerInfo.Types.Network)Number(Word(1)),
                };
                break;
            case "netname":
                task.Container.NetworkInfos.Add(new NetworkInfo { Name = rest });
                break;
            case "hostname":
                task.Container.Hostname = rest;
                break;
            case "volume":
                task.Container.Volumes.Add(new Volume
                {
                    ContainerPath = Word(1),
                    HostPath = Word(2),
                    Mode = Word(3) == "ro" ? Volume.Types.Mode.Ro : Word(3) == "rw" ? Volume.Types.Mode.Rw : (Volume.Types.Mode)Number(Word(3)),
                });
                break;
            case "port":
                docker.PortMappings.Add(new DockerInfo.Types.PortMapping
                {
                    HostPort = (uint)Number(Word(1)),
                    ContainerPort = (uint)Number(Word(2)),
                    Protocol = Word(3),
                });
                break;
            case "env":
                string[] env = rest.Split('=', 2);
                (task.Command ??= new CommandInfo()).Environment ??= new Mesos.V1.Environment();
                task.Command.Environment.Variables.Add(new Mesos.V1.Environment.Types.Variable { Name = env[0], Value = env.Length > 1 ? env[1] : string.Empty });
                break;
            case "label":
                string[] label = rest.Split('=', 2);
                task.Labels.Labels_.Add(new Label { Key = label[0], Value = label.Length > 1 ? label[1] : string.Empty });
                break;
            case "cpus":
            case "mem":
            case "disk":
                task.Resources.Add(Samples.Scalar(directive, Scalar(Word(1))));
                break;
            case "limit":
                task.Limits[Word(1)] = new Value.Types.Scalar { Value = Scalar(Word(2)) };
                break;
            case "cmd":
                task.Command = new CommandInfo { Value = rest, Shell = true };
                break;
            case "arg":
                task.Command ??= new CommandInfo { Shell = false };
                task.Command.Shell = false;
                task.Command.Arguments.Add(rest);
                break;
            case "user":
                (task.Command ??= new CommandInfo()).User = rest;
                break;
            case "driver":
#pragma warning disable CS0612 // Deprecated in Mesos, but its Docker executor still honours it.
                docker.VolumeDriver = rest;
#pragma warning restore CS0612
                break;
            case "force":
                docker.ForcePullImage = true;
                break;
            case "privileged":
                docker.Privileged = true;
                break;
            default:
                break;
        }
    }

    private static long Number(string text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;

    private static double Scalar(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0;

    // The host's files, as the seccomp option reads them: one profile, one broken file, nothing else.
    private static string ReadFile(string path) => path switch
    {
        SeccompProfile => """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}""",
        NotJsonProfile => "{ not json",
        _ => throw new FileNotFoundException("no such file", path),
    };
}
