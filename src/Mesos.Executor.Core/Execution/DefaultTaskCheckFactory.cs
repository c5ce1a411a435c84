using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>Checks with Mesos semantics (<see cref="TaskCheckRunner"/>) probing through an <see cref="IHealthCheck"/>.</summary>
internal sealed class DefaultTaskCheckFactory : ITaskCheckFactory
{
    private readonly IContainerizer _containerizer;
    private readonly IHealthCheck _probe;
    private readonly TimeProvider _timeProvider;

    public DefaultTaskCheckFactory(IContainerizer containerizer, IHealthCheck probe, TimeProvider timeProvider)
    {
        _containerizer = containerizer;
        _probe = probe;
        _timeProvider = timeProvider;
    }

    public string? Validate(TaskInfo task) => CheckValidation.Validate(task) ?? ValidateCommandProbes(task);

    public CheckStatusInfo EmptyStatus(CheckInfo check) => CheckStatuses.Empty(check);

    public ITaskChecks? Create(TaskInfo task, ContainerDetails container, ILogger logger, Func<CheckNotification, CancellationToken, ValueTask> notify)
    {
        if (!TaskCheckRunner.HasChecks(task))
        {
            return null;
        }

        return new RunnerChecks(new TaskCheckRunner(task, container, _containerizer, _probe, _timeProvider, logger, notify));
    }

    /// <summary>
    /// Refuses COMMAND checks that cannot run: the built-in probe runs them through
    /// <see cref="IContainerExec"/>, an optional ability of the containerizer. A custom
    /// <see cref="IHealthCheck"/> may run commands its own way, so it is trusted to.
    /// </summary>
    private string? ValidateCommandProbes(TaskInfo task)
    {
        if (_probe is not NativeHealthCheck || _containerizer is IContainerExec)
        {
            return null;
        }

        if (task.HealthCheck is { Type: HealthCheck.Types.Type.Command })
        {
            return "health_check.type is COMMAND, but " + NativeHealthCheck.CannotExecMessage(_containerizer);
        }

        if (task.Check is { Type: CheckInfo.Types.Type.Command })
        {
            return "check.type is COMMAND, but " + NativeHealthCheck.CannotExecMessage(_containerizer);
        }

        return null;
    }

    private sealed class RunnerChecks : ITaskChecks
    {
        private readonly TaskCheckRunner _runner;

        public RunnerChecks(TaskCheckRunner runner) => _runner = runner;

        public void Start() => _runner.Start();

        public ValueTask DisposeAsync() => _runner.DisposeAsync();
    }
}
