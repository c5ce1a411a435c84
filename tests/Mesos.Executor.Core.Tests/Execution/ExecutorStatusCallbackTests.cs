using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary><see cref="MesosExecutorBuilder.ConfigureStatus"/>: what a custom executor may add to its status updates.</summary>
[TestFixture]
public sealed class ExecutorStatusCallbackTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task ConfigureStatus_LabelsAndMessage_AreSentWithEveryUpdate(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ConfigureStatus = status =>
        {
            status.Labels.Add(new Label { Key = "task-name", Value = status.Task.Name });
            if (status.State == TaskState.TaskFinished)
            {
                status.Message += " (custom)";
            }
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 0);
        TaskStatus finished = await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            foreach (TaskStatus status in new[] { starting, running, finished })
            {
                Assert.That(status.Labels.Labels_.Single().Key, Is.EqualTo("task-name"));
                Assert.That(status.Labels.Labels_.Single().Value, Is.EqualTo("t1"));
                Assert.That(status.Source, Is.EqualTo(TaskStatus.Types.Source.Executor));
                Assert.That(status.Uuid.Length, Is.EqualTo(16));
            }

            Assert.That(running.Data.ToStringUtf8(), Is.EqualTo("{\"Id\":\"container-t1\"}"), "the executor's data is kept unless replaced");
            Assert.That(finished.Message, Is.EqualTo("Container exited with status 0 (custom)"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ConfigureStatus_ReplacesData_StateAndIdsStayTheExecutors(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ConfigureStatus = status =>
        {
            status.Data = ByteString.CopyFromUtf8("custom");
            status.Task.TaskId.Value = "changed";
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        TaskStatus running = await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(running.Data.ToStringUtf8(), Is.EqualTo("custom"));
            Assert.That(running.TaskId.Value, Is.EqualTo("t1"), "the task the callback sees is a copy");
            Assert.That(running.State, Is.EqualTo(TaskState.TaskRunning));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ConfigureStatus_Throws_UpdateIsSentWithoutTheAdditionsAndTheFailureIsLogged(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ConfigureStatus = status =>
        {
            status.Labels.Add(new Label { Key = "half", Value = "done" });
            status.Message = "replaced";
            throw new InvalidOperationException("callback bug");
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));

        TaskStatus starting = await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 3);
        TaskStatus failed = await h.ExpectUpdateAsync("t1", TaskState.TaskFailed, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(starting.Labels, Is.Null);
            Assert.That(failed.Labels, Is.Null);
            Assert.That(failed.Message, Is.EqualTo("Container exited with status 3"));
            var logged = h.Logs.GetSnapshot().Where(r => r.Id.Name == "StatusCallbackFailed").ToList();
            Assert.That(logged, Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(logged[0].Level, Is.EqualTo(LogLevel.Error));
            Assert.That(logged[0].Exception?.Message, Is.EqualTo("callback bug"));
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task ConfigureStatus_NullLabel_UpdateIsSentUnchanged(CancellationToken cancellationToken)
    {
        await using ExecutorHarness h = ExecutorHarness.Start(o => o.ConfigureStatus = status =>
        {
            status.Message = "replaced";
            status.Labels.Add(null!);
        });
        SubscriptionAttempt agent = await h.SubscribeAsync(cancellationToken);
        agent.Push(ExecutorHarness.Launch(ExecutorHarness.NewTask("t1")));
        await h.ExpectUpdateAsync("t1", TaskState.TaskStarting, cancellationToken);
        await h.ExpectUpdateAsync("t1", TaskState.TaskRunning, cancellationToken);
        h.Containers.ExitTask("t1", 0);

        TaskStatus finished = await h.ExpectUpdateAsync("t1", TaskState.TaskFinished, cancellationToken);

        Assert.That(finished.Message, Is.EqualTo("Container exited with status 0"), "all the additions or none");
        Assert.That(finished.Labels, Is.Null);
    }
}
