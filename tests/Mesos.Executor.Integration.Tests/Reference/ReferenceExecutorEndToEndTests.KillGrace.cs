using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Demo;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;
using TaskState = Mesos.V1.TaskState;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>
/// The default kill grace period as Mesos's Docker executor computes it
/// (<c>src/launcher/docker_executor.cpp</c>): the executor shutdown grace period, raised to
/// <c>--stop_timeout</c> when larger.
/// </summary>
public sealed partial class ReferenceExecutorEndToEndTests
{
    [TestCase("0ns", 7, "00:00:07", TestName = "KillWithoutPolicy_AgentDefaults_UsesTheShutdownGracePeriod")]
    [TestCase("9secs", 7, "00:00:09", TestName = "KillWithoutPolicy_LargerStopTimeout_UsesIt")]
    [Category("Docker")]
    [CancelAfter(120_000)]
    public async Task KillWithoutPolicy_GracePeriodFollowsMesos(string stopTimeout, int shutdownGraceSeconds, string expected, CancellationToken cancellationToken)
    {
        await _engine.RequireAsync(cancellationToken);
        await using FakeAgent agent = await FakeAgent.StartAsync(cancellationToken: cancellationToken);
        var environment = new Dictionary<string, string?>(System.StringComparer.Ordinal);
        var options = new FakeExecutorEnvironmentOptions { Directory = Sandbox, Sandbox = Sandbox, ShutdownGracePeriod = System.TimeSpan.FromSeconds(shutdownGraceSeconds) };
        foreach (var (name, value) in agent.CreateExecutorEnvironment(options))
        {
            environment[name] = value;
        }

        // The agent's flags, with this run's --stop_timeout in place of the default 0ns.
        List<string> flags = [.. AgentFlags("--config=" + TestConfig())];
        flags.Remove("--stop_timeout=0ns");
        flags.Add("--stop_timeout=" + stopTimeout);
        await using ExecutorProcess executor = Start(flags, environment);
        await agent.WaitForSubscribeAsync(1, cancellationToken);
        TaskInfo task = DemoTask.Create("grace-" + DockerTestEnvironment.RunId, agent.Options.AgentId, DockerTestEnvironment.TestImage,
            "trap 'exit 0' TERM; while true; do sleep 0.2; done", healthPort: 0);
        task.KillPolicy = null;
        await agent.SendLaunchAsync(task, cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskRunning, cancellationToken);

        await agent.SendKillAsync(task.TaskId, cancellationToken: cancellationToken);
        await agent.WaitForStatusAsync(task.TaskId.Value, TaskState.TaskKilled, cancellationToken);
        int exitCode = await executor.WaitForExitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExecutorExitCodes.Success), executor.Log);
            Assert.That(executor.Log, Does.Contain("with a grace period of " + expected));
        });
    }
}
