using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Mesos.Executor.Core.Tests.Execution;

/// <summary>A Moq'd <see cref="IContainerizer"/> whose containers run until the test ends them (or a stop does).</summary>
internal sealed class ScriptedContainerizer
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ContainerExit>> _exits = new(StringComparer.Ordinal);
    private readonly Channel<(string ContainerId, TimeSpan Grace)> _stops = Channel.CreateUnbounded<(string, TimeSpan)>();
    private readonly Channel<string> _created = Channel.CreateUnbounded<string>();

    public ScriptedContainerizer()
    {
        Mock.Setup(c => c.CreateAsync(It.IsAny<ContainerSpec>(), It.IsAny<CancellationToken>()))
            .Returns((ContainerSpec spec, CancellationToken _) =>
            {
                string id = IdOf(spec.Task.TaskId.Value);
                Logger.LogInformation("Creating container {Id}", id);
                _exits[id] = new TaskCompletionSource<ContainerExit>(TaskCreationOptions.RunContinuationsAsynchronously);
                Specs[id] = spec;
                _created.Writer.TryWrite(id);
                return Task.FromResult(id);
            });
        Mock.Setup(c => c.StartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken _) =>
            {
                Logger.LogInformation("Starting container {Id}", id);
                return Task.CompletedTask;
            });
        Mock.Setup(c => c.InspectAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken _) => Task.FromResult(new ContainerDetails
            {
                Id = id,
                Pid = 4242,
                IPAddresses = Addresses,
                RawData = Encoding.UTF8.GetBytes("{\"Id\":\"" + id + "\"}"),
            }));
        Mock.Setup(c => c.WaitAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken ct) => _exits[id].Task.WaitAsync(ct));
        Mock.Setup(c => c.StopAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Returns((string id, TimeSpan grace, CancellationToken _) =>
            {
                Logger.LogInformation("Stopping container {Id}", id);
                _stops.Writer.TryWrite((id, grace));
                if (ExitOnStop)
                {
                    Exit(id, StopExitCode);
                }

                return Task.CompletedTask;
            });
    }

    public Mock<IContainerizer> Mock { get; } = new();

    public IContainerizer Object => Mock.Object;

    /// <summary>Where create, start and stop log, as a real containerizer does.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    public ConcurrentDictionary<string, ContainerSpec> Specs { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a stop ends the container at once.</summary>
    public bool ExitOnStop { get; set; } = true;

    /// <summary>The exit code of a stopped container (SIGTERM: 128 + 15).</summary>
    public int StopExitCode { get; set; } = 143;

    public IReadOnlyList<IPAddress> Addresses { get; set; } = [IPAddress.Parse("172.17.0.2")];

    public static string IdOf(string taskId) => "container-" + taskId;

    public void Exit(string containerId, int exitCode, bool oomKilled = false) =>
        _exits[containerId].TrySetResult(new ContainerExit { ExitCode = exitCode, OomKilled = oomKilled });

    public void ExitTask(string taskId, int exitCode, bool oomKilled = false) => Exit(IdOf(taskId), exitCode, oomKilled);

    public ValueTask<(string ContainerId, TimeSpan Grace)> NextStopAsync(CancellationToken cancellationToken) => _stops.Reader.ReadAsync(cancellationToken);

    public bool TryGetStop(out (string ContainerId, TimeSpan Grace) stop) => _stops.Reader.TryRead(out stop);

    public ValueTask<string> NextCreatedAsync(CancellationToken cancellationToken) => _created.Reader.ReadAsync(cancellationToken);
}
