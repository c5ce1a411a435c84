using System;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Mesos.V1.Executor;

namespace Mesos.Executor.Core.Execution;

/// <summary>Something for the executor loop to handle; the loop is the only reader and alone owns the state.</summary>
internal abstract record LoopMessage;

/// <summary>An event arrived on subscription <paramref name="Generation"/>.</summary>
internal sealed record AgentEventReceived(long Generation, Event Event) : LoopMessage;

/// <summary>Subscription <paramref name="Generation"/> ended with <paramref name="Error"/>.</summary>
internal sealed record SubscriptionEnded(long Generation, Exception Error) : LoopMessage;

/// <summary>An UPDATE call returned: 202 when <paramref name="Error"/> is <see langword="null"/>.</summary>
internal sealed record UpdateCallCompleted(PendingUpdate Update, Exception? Error) : LoopMessage;

/// <summary>A task's container runs (after the post-run hooks).</summary>
internal sealed record TaskStarted(TaskRunner Runner, string ContainerId, ContainerDetails Details) : LoopMessage;

/// <summary>
/// A task's container is gone or never ran: <paramref name="Exit"/> when it exited,
/// <paramref name="Failure"/> when the launch or the wait failed.
/// </summary>
internal sealed record TaskExited(TaskRunner Runner, ContainerExit? Exit, string? Failure, bool LaunchFailed) : LoopMessage;

/// <summary>A task runner finished (the post-stop hooks ran).</summary>
internal sealed record TaskRunnerCompleted(TaskRunner Runner) : LoopMessage;

/// <summary>A check runner reported.</summary>
internal sealed record CheckNotified(CheckNotification Notification) : LoopMessage;

/// <summary>A timer armed by the loop fired; <paramref name="Timer"/> tells which one.</summary>
internal sealed record TimerFired(LoopTimer Timer) : LoopMessage;

/// <summary>The user asked to send a MESSAGE call.</summary>
internal sealed record SendMessageRequested(byte[] Data, TaskCompletionSource Completion) : LoopMessage;

/// <summary>RunAsync's token was cancelled (SIGTERM/SIGINT): shut down like SHUTDOWN.</summary>
internal sealed record ShutdownRequested : LoopMessage;

/// <summary>Completes <paramref name="Completion"/> once every earlier message was handled (tests).</summary>
internal sealed record Barrier(TaskCompletionSource Completion) : LoopMessage;
