using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Moq;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Execution;

[TestFixture]
public sealed class MesosExecutorBuilderTests
{
    private static readonly Dictionary<string, string> ValidEnvironment = new()
    {
        ["MESOS_FRAMEWORK_ID"] = "f1",
        ["MESOS_EXECUTOR_ID"] = "e1",
        ["MESOS_AGENT_ENDPOINT"] = "127.0.0.1:5051",
        ["MESOS_CHECKPOINT"] = "0",
    };

    private static string? Lookup(Dictionary<string, string> variables, string name) => variables.GetValueOrDefault(name);

    [Test]
    public void ExecutorOptions_Defaults_AreTheDocumentedOnes()
    {
        var options = new ExecutorOptions();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.ContentType, Is.EqualTo(AgentContentType.Protobuf));
            Assert.That(options.DefaultKillGracePeriod, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(options.TerminalAcknowledgementTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(options.HeartbeatInterval, Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(options.MaxRecordSize, Is.EqualTo(16 * 1024 * 1024));
            Assert.That(options.AgentCallTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.HealthChecksEnabled, Is.True);
            Assert.That(options.ChecksEnabled, Is.True);
            Assert.That(options.Validate, Throws.Nothing);
        }
    }

    [Test]
    public void ExecutorOptions_Validate_ListsEveryProblem()
    {
        var options = new ExecutorOptions
        {
            ContentType = (AgentContentType)9,
            DefaultKillGracePeriod = TimeSpan.FromSeconds(-1),
            TerminalAcknowledgementTimeout = TimeSpan.Zero,
            HeartbeatInterval = TimeSpan.Zero,
            MaxRecordSize = 0,
            AgentCallTimeout = TimeSpan.FromSeconds(-5),
        };

        ExecutorConfigurationException? error = Assert.Throws<ExecutorConfigurationException>(options.Validate);

        Assert.That(error!.Message, Does.Contain("ContentType").And.Contain("DefaultKillGracePeriod").And.Contain("TerminalAcknowledgementTimeout")
            .And.Contain("HeartbeatInterval").And.Contain("MaxRecordSize").And.Contain("AgentCallTimeout"));
    }

    [Test]
    public void Build_WithoutContainerizerAndWithBadEnvironmentAndOptions_ListsAllProblems()
    {
        MesosExecutorBuilder builder = MesosExecutor.CreateBuilder()
            .UseEnvironment(_ => null)
            .UseOptions(new ExecutorOptions { HeartbeatInterval = TimeSpan.Zero });

        ExecutorConfigurationException? error = Assert.Throws<ExecutorConfigurationException>(() => builder.Build());

        Assert.That(error!.Message, Does.Contain("MESOS_FRAMEWORK_ID").And.Contain("HeartbeatInterval").And.Contain("UseContainerizer"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Build_ValidConfiguration_BuildsAnExecutorThatRunsOnce(CancellationToken cancellationToken)
    {
        var containerizer = new Mock<IContainerizer>();
        var agent = new InMemoryAgentTransport();
        await using MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => Lookup(ValidEnvironment, name))
            .UseContainerizer(containerizer.Object)
            .UseTransport(agent)
            .Build();

        Task<int> run = executor.RunAsync(cancellationToken);
        SubscriptionAttempt attempt = await agent.NextAttemptAsync(cancellationToken);
        attempt.Push(ExecutorHarness.Subscribed());

        Assert.That(() => executor.RunAsync(cancellationToken), Throws.InvalidOperationException);
        attempt.Push(ExecutorHarness.Shutdown());
        Assert.That(await run, Is.EqualTo(ExecutorExitCodes.Success));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_RunningExecutor_ShutsItDown(CancellationToken cancellationToken)
    {
        var agent = new InMemoryAgentTransport();
        MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => Lookup(ValidEnvironment, name))
            .UseContainerizer(new Mock<IContainerizer>().Object)
            .UseTransport(agent)
            .Build();
        Task<int> run = executor.RunAsync(CancellationToken.None);
        (await agent.NextAttemptAsync(cancellationToken)).Push(ExecutorHarness.Subscribed());

        await executor.DisposeAsync().AsTask().WaitAsync(cancellationToken);

        Assert.That(run.IsCompletedSuccessfully, Is.True);
        Assert.That(await run, Is.EqualTo(ExecutorExitCodes.Success));
        Assert.That(() => executor.RunAsync(cancellationToken), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void ExitCodes_AreDistinctWhereTheyMeanDifferentThings()
    {
        int[] codes =
        [
            ExecutorExitCodes.Success, ExecutorExitCodes.Fatal, ExecutorExitCodes.Disconnected, ExecutorExitCodes.RecoveryTimeout,
            ExecutorExitCodes.AgentError, ExecutorExitCodes.AcknowledgementTimeout, ExecutorExitCodes.ShutdownTimeout,
            ExecutorExitCodes.ConfigurationError,
        ];

        Assert.That(codes, Is.Unique);
        Assert.That(ExecutorExitCodes.ConfigurationError, Is.EqualTo(78), "EX_CONFIG of sysexits.h");
    }

    [TestCase(true, 1)]
    [TestCase(false, 0)]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_AsyncDisposableContainerizer_DisposedOnlyWhenOwned(bool owns, int disposals, CancellationToken cancellationToken)
    {
        var containerizer = new Mock<IContainerizer>();
        containerizer.As<IAsyncDisposable>().Setup(d => d.DisposeAsync()).Returns(ValueTask.CompletedTask);
        var agent = new InMemoryAgentTransport();
        MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => Lookup(ValidEnvironment, name))
            .UseContainerizer(containerizer.Object, ownsContainerizer: owns)
            .UseTransport(agent)
            .Build();
        Task<int> run = executor.RunAsync(CancellationToken.None);
        (await agent.NextAttemptAsync(cancellationToken)).Push(ExecutorHarness.Subscribed());

        await executor.DisposeAsync().AsTask().WaitAsync(cancellationToken);
        await executor.DisposeAsync().AsTask().WaitAsync(cancellationToken);

        Assert.That(await run, Is.EqualTo(ExecutorExitCodes.Success));
        containerizer.As<IAsyncDisposable>().Verify(d => d.DisposeAsync(), Times.Exactly(disposals));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task DisposeAsync_OwnedDisposableContainerizer_IsDisposed(CancellationToken cancellationToken)
    {
        var containerizer = new Mock<IContainerizer>();
        containerizer.As<IDisposable>().Setup(d => d.Dispose());
        MesosExecutor executor = MesosExecutor.CreateBuilder()
            .UseEnvironment(name => Lookup(ValidEnvironment, name))
            .UseContainerizer(containerizer.Object, ownsContainerizer: true)
            .Build();

        await executor.DisposeAsync().AsTask().WaitAsync(cancellationToken);

        containerizer.As<IDisposable>().Verify(d => d.Dispose(), Times.Once);
    }

    [Test]
    public void Build_Fails_OwnedContainerizerIsNotDisposed()
    {
        var containerizer = new Mock<IContainerizer>(MockBehavior.Strict);
        containerizer.As<IAsyncDisposable>();

        Assert.That(
            () => MesosExecutor.CreateBuilder().UseEnvironment(_ => null).UseContainerizer(containerizer.Object, ownsContainerizer: true).Build(),
            Throws.TypeOf<ExecutorConfigurationException>());
        containerizer.VerifyNoOtherCalls();
    }
}
