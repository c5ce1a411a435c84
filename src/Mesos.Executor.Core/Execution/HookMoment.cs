using Mesos.V1;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// A moment of a running task whose hooks the loop hands to the task's runner
/// (<see cref="HookPhase.Ready"/>, <see cref="HookPhase.HealthChanged"/>), with what the loop knew
/// then: the latest status, health verdict and check result.
/// </summary>
/// <param name="Phase">The phase to run.</param>
/// <param name="Status">The latest status created for the task.</param>
/// <param name="Healthy">The latest reported health verdict.</param>
/// <param name="CheckStatus">The latest check result.</param>
internal sealed record HookMoment(HookPhase Phase, TaskStatus? Status, bool? Healthy, CheckStatusInfo? CheckStatus);
