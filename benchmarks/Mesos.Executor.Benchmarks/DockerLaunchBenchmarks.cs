using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.V1;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// Launching one task container against the local engine: create + start + inspect through
/// <see cref="DockerContainerizer"/> (mapping, image check, create, start with the sandbox output
/// pump, raw inspect) versus bare <c>docker create</c> + <c>docker start</c> with the CLI, which is
/// what Mesos's own Docker executor pays at least (it runs <c>docker run</c> and then
/// <c>docker inspect</c>). Needs the engine and the test image from build/ensure-docker.sh.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project benchmarks/Mesos.Executor.Benchmarks -- --filter *DockerLaunch*</c>.
/// Each iteration launches one container; the iteration cleanup removes it (not measured).
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 15, invocationCount: 1)]
public class DockerLaunchBenchmarks
{
    private const string Image = "mesos-executor-test/busybox:1";
    private const string Label = "mesos-executor-bench";

    private DockerContainerizer _containerizer = null!;
    private string _sandbox = null!;
    private ContainerSpec _spec = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _sandbox = Directory.CreateTempSubdirectory("mesos-executor-bench").FullName;
        _containerizer = new DockerContainerizer(new DockerContainerizerOptions
        {
            SandboxDirectory = _sandbox,
            ExtraLabels = new Dictionary<string, string> { [Label] = "1" },
        });
        var task = new TaskInfo
        {
            Name = "bench",
            TaskId = new TaskID { Value = "bench" },
            AgentId = new AgentID { Value = "agent" },
            Resources =
            {
                new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.1 } },
                new Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 32 } },
            },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo { Image = Image, Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge },
            },
            Command = new CommandInfo { Value = "sleep 60" },
        };
        _spec = new ContainerSpec
        {
            Task = task,
            Framework = new FrameworkInfo { Name = "bench", User = "root" },
            Executor = new ExecutorInfo { ExecutorId = new ExecutorID { Value = "bench" } },
            SandboxDirectory = _sandbox,
        };
    }

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        await _containerizer.DisposeAsync();
        RemoveBenchmarkContainers();
        Directory.Delete(_sandbox, recursive: true);
    }

    [IterationCleanup]
    public void IterationCleanup() => RemoveBenchmarkContainers();

    [Benchmark(Baseline = true, Description = "docker create + docker start (CLI)")]
    public string DockerCli()
    {
        string id = Docker(
            "create", "--label", Label + "=1", "--net", "bridge", "--cpu-shares", "102", "--memory", "33554432",
            "-v", _sandbox + ":/mnt/mesos/sandbox", "--entrypoint", "/bin/sh", Image, "-c", "sleep 60").Trim();
        Docker("start", id);
        return id;
    }

    [Benchmark(Description = "DockerContainerizer create + start + inspect")]
    public async Task<ContainerDetails> Containerizer()
    {
        string id = await _containerizer.CreateAsync(_spec);
        await _containerizer.StartAsync(id);
        return await _containerizer.InspectAsync(id);
    }

    private static void RemoveBenchmarkContainers()
    {
        string ids = Docker("ps", "-aq", "--filter", "label=" + Label);
        string[] list = ids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length > 0)
        {
            Docker(["rm", "-f", "-v", .. list]);
        }
    }

    private static string Docker(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"docker {string.Join(' ', arguments.Take(2))} failed: {error}");
    }
}
