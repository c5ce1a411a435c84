using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Checks;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// Health-check and check definitions: the input is a binary <see cref="TaskInfo"/> (its
/// <c>health_check</c> and <c>check</c> matter). The check factory's <c>Validate</c>
/// (<see cref="CheckValidation"/>) accepts it or names the problem; an accepted task must build
/// its runner (<see cref="TaskCheckRunner"/>), a refused one must be refused by the runner too.
/// </summary>
public sealed class ChecksTarget : FuzzTarget
{
    private static readonly DefaultTaskCheckFactory Factory = new(NullContainerizer.Instance, new NoProbe(), TimeProvider.System);

    private static readonly ContainerDetails Container = new() { Id = "0123456789abcdef", Pid = 42 };

    /// <inheritdoc />
    public override string Name => "checks";

    /// <inheritdoc />
    public override string Description => "health check and check definitions (CheckValidation, the check factory, TaskCheckRunner)";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        TaskInfo task;
        try
        {
            task = TaskInfo.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException)
        {
            // Not a task: the agent's codec refuses it before any check sees it (the agent-stream target).
            return;
        }

        string? error = Factory.Validate(task);
        TaskCheckRunner runner;
        try
        {
            runner = new TaskCheckRunner(task, Container, NullContainerizer.Instance, new NoProbe(), TimeProvider.System, NullLogger.Instance, static (_, _) => ValueTask.CompletedTask);
        }
        catch (ArgumentException ex) when (error != null && ex.Message.StartsWith(error, StringComparison.Ordinal))
        {
            return;
        }

        if (error != null)
        {
            throw new FuzzPropertyException($"Validate refused the task ({error}) but the runner accepted it");
        }

        runner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (task.Check is { } check)
        {
            _ = Factory.EmptyStatus(check);
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => false;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        TaskInfo sample = Samples.DockerTask();
        yield return ("http-and-tcp", sample.ToByteArray());
        var command = new TaskInfo
        {
            TaskId = new TaskID { Value = "task-1" },
            HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Command,
                Command = new CommandInfo { Value = "exit 0", Shell = true },
                IntervalSeconds = 0.5,
            },
            Check = new CheckInfo
            {
                Type = CheckInfo.Types.Type.Command,
                Command = new CheckInfo.Types.Command { Command_ = new CommandInfo { Value = "/bin/true", Shell = false, Arguments = { "true" } } },
            },
        };
        yield return ("command", command.ToByteArray());
        var http = new TaskInfo
        {
            TaskId = new TaskID { Value = "task-1" },
            Check = new CheckInfo { Type = CheckInfo.Types.Type.Http, Http = new CheckInfo.Types.Http { Port = 8080, Path = "/ready" }, TimeoutSeconds = 1e300 },
            HealthCheck = new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = new HealthCheck.Types.TCPCheckInfo { Port = 70000 } },
        };
        yield return ("invalid", http.ToByteArray());
    }

    private sealed class NoProbe : IHealthCheck
    {
        public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the checks target never starts the runner");
    }
}
