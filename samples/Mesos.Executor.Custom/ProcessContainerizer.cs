using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.V1;

namespace Mesos.Executor.Custom;

/// <summary>
/// A containerizer without containers: each task's command runs as a plain child process of the
/// executor, in the sandbox directory, sharing the host's network. Enough to show the
/// <see cref="IContainerizer"/> contract; not an isolation mechanism.
/// </summary>
public sealed partial class ProcessContainerizer : IContainerizer, IContainerExec, IContainerRemover
{
    private const int SIGTERM = 15;
    private readonly ConcurrentDictionary<string, Process> _processes = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the containerizer.</summary>
    /// <param name="timeProvider">The clock for kill grace periods (default: the system clock).</param>
    public ProcessContainerizer(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <inheritdoc/>
    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CommandInfo command = spec.Task.Command ?? throw new ContainerizerException("the task has no command");
        var start = new ProcessStartInfo { UseShellExecute = false };
        if (!command.HasShell || command.Shell)
        {
            // shell=true (the default): the value is a shell command line, as Mesos runs it.
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command.Value);
        }
        else
        {
            start.FileName = command.Value;
            // shell=false: value is the program and arguments its argv, argv[0] included.
            for (int i = 1; i < command.Arguments.Count; i++)
            {
                start.ArgumentList.Add(command.Arguments[i]);
            }
        }

        if (spec.SandboxDirectory != null)
        {
            start.WorkingDirectory = spec.SandboxDirectory;
            start.Environment["MESOS_SANDBOX"] = spec.SandboxDirectory;
        }

        foreach (Mesos.V1.Environment.Types.Variable variable in command.Environment?.Variables ?? [])
        {
            start.Environment[variable.Name] = variable.Value;
        }

        foreach (KeyValuePair<string, string> variable in spec.Environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        string id = Guid.NewGuid().ToString("N");
        _processes[id] = new Process { StartInfo = start };
        return Task.FromResult(id);
    }

    /// <inheritdoc/>
    public Task StartAsync(string containerId, CancellationToken cancellationToken = default)
    {
        try
        {
            Get(containerId).Start();
            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ContainerizerException($"cannot start the task's command: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<ContainerExit> WaitAsync(string containerId, CancellationToken cancellationToken = default)
    {
        Process process = Get(containerId);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new ContainerExit { ExitCode = process.ExitCode };
    }

    /// <inheritdoc/>
    public async Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        Process process = Get(containerId);
        if (HasExited(process))
        {
            return;
        }

        _ = Kill(process.Id, SIGTERM);
        using var graceTimer = new CancellationTokenSource(gracePeriod, _timeProvider);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, graceTimer.Token);
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task RemoveAsync(string containerId, CancellationToken cancellationToken = default)
    {
        if (_processes.TryRemove(containerId, out Process? process))
        {
            process.Dispose();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<ExecResult> ExecAsync(string containerId, ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = Get(containerId);
        var start = new ProcessStartInfo(request.Arguments[0]) { UseShellExecute = false };
        for (int i = 1; i < request.Arguments.Count; i++)
        {
            start.ArgumentList.Add(request.Arguments[i]);
        }

        foreach (KeyValuePair<string, string> variable in request.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        using Process process = Process.Start(start) ?? throw new ContainerizerException("cannot start the command");
        TimeSpan limit = request.Timeout is { } t && t > TimeSpan.Zero ? t : Timeout.InfiniteTimeSpan;
        using var timer = new CancellationTokenSource(limit, _timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);

        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return new ExecResult { ExitCode = process.ExitCode };
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return new ExecResult { ExitCode = -1, TimedOut = true };
        }
    }

    /// <inheritdoc/>
    public Task<ContainerDetails> InspectAsync(string containerId, CancellationToken cancellationToken = default)
    {
        Process process = Get(containerId);
        return Task.FromResult(new ContainerDetails
        {
            Id = containerId,
            Pid = HasExited(process) ? 0 : process.Id,
            UsesHostNetwork = true,
            IPAddresses = [IPAddress.Loopback],
        });
    }

    private Process Get(string containerId) =>
        _processes.TryGetValue(containerId, out Process? process)
            ? process
            : throw new ContainerizerException($"no process '{containerId}'");

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true; // never started
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
