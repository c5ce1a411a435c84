using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Testing;
using Mesos.V1;

namespace Mesos.Executor.Benchmarks;

/// <summary>
/// LAUNCH → TASK_RUNNING through the whole executor (state machine, hooks pipeline, inspect) with the
/// real <see cref="DockerContainerizer"/> against the <see cref="FakeAgent"/> over loopback HTTP. Compare
/// with the bare engine: <c>hyperfine 'docker start $(docker create mesos-executor-test/busybox:1 sleep 1000)'</c>.
/// Needs the engine and the test image (build/ensure-docker.sh). Containers carry a per-run label and are
/// removed after each iteration.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class DockerExecutorLaunchBenchmarks
{
    private const int TasksPerIteration = 4;
    private const string Image = "mesos-executor-test/busybox:1";
    private const string Label = "mesos-executor-bench";

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private FakeAgent _agent = null!;
    private MesosExecutor _executor = null!;
    private Task<int> _running = null!;
    private CancellationTokenSource _cts = null!;
    private string _sandbox = null!;
    private int _iteration;

    [IterationSetup]
    public void Setup()
    {
        _cts = new CancellationTokenSource();
        _sandbox = Directory.CreateTempSubdirectory("mesos-executor-bench-").FullName;
        _agent = FakeAgent.StartAsync().GetAwaiter().GetResult();
        IReadOnlyDictionary<string, string> environment = _agent.CreateExecutorEnvironment(new FakeExecutorEnvironmentOptions { Directory = _sandbox });
        _executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => environment.GetValueOrDefault(name))
            .UseContainerizer(new DockerContainerizer(new DockerContainerizerOptions
            {
                SandboxDirectory = _sandbox,
                ExtraLabels = new Dictionary<string, string> { [Label] = _run },
            }))
            .Build();
        _running = _executor.RunAsync(_cts.Token);
        _agent.WaitForSubscribeAsync(1).GetAwaiter().GetResult();
        _iteration++;
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _cts.Cancel();
        _executor.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _agent.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cts.Dispose();
        RemoveContainers();
        Directory.Delete(_sandbox, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = TasksPerIteration)]
    public async Task LaunchToRunning()
    {
        for (int i = 0; i < TasksPerIteration; i++)
        {
            string id = $"bench-{_iteration}-{i}";
            await _agent.SendLaunchAsync(new TaskInfo
            {
                Name = id,
                TaskId = new TaskID { Value = id },
                AgentId = new AgentID { Value = _agent.Options.AgentId },
                Command = new CommandInfo { Shell = true, Value = "sleep 1000" },
                Container = new ContainerInfo
                {
                    Type = ContainerInfo.Types.Type.Docker,
                    Docker = new ContainerInfo.Types.DockerInfo { Image = Image, Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge },
                },
            });
            await _agent.WaitForStatusAsync(id, TaskState.TaskRunning);
        }
    }

    private void RemoveContainers()
    {
        // The docker CLI with an argument array: benchmark-only cleanup.
        var list = new ProcessStartInfo("docker") { RedirectStandardOutput = true };
        foreach (string a in new[] { "ps", "-aq", "--filter", $"label={Label}={_run}" })
        {
            list.ArgumentList.Add(a);
        }

        using var ps = Process.Start(list)!;
        string ids = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        var remove = new ProcessStartInfo("docker") { RedirectStandardOutput = true };
        remove.ArgumentList.Add("rm");
        remove.ArgumentList.Add("-f");
        int count = 0;
        foreach (string id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            remove.ArgumentList.Add(id);
            count++;
        }

        if (count > 0)
        {
            using var rm = Process.Start(remove)!;
            rm.StandardOutput.ReadToEnd();
            rm.WaitForExit();
        }
    }
}
