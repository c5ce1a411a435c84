using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>
/// The few things the harness asks the Docker engine itself, through the <c>docker</c> CLI (the
/// measured executor has its own Engine API client; the harness need not share it): a container's
/// init pid, and the removal of what a run left behind.
/// </summary>
internal static class DockerCli
{
    /// <summary>The label every container of a run carries, with the run id as its value.</summary>
    public const string Label = "mesos-executor-footprint";

    /// <summary>The host pid of a running container's init process.</summary>
    /// <param name="container">The container's name or id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pid.</returns>
    /// <exception cref="InvalidOperationException">The container is not running.</exception>
    public static async Task<int> ContainerPidAsync(string container, CancellationToken cancellationToken)
    {
        string pid = (await RunAsync(["inspect", "--format", "{{.State.Pid}}", container], cancellationToken)).Trim();
        return int.TryParse(pid, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new InvalidOperationException($"container {container} is not running ({pid})");
    }

    /// <summary>Removes (forcibly) every container labelled with the run's id; failures are reported, not thrown.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>How many containers were removed.</returns>
    public static async Task<int> RemoveRunContainersAsync(string runId)
    {
        try
        {
            string ids = await RunAsync(["ps", "-aq", "--filter", $"label={Label}={runId}"], CancellationToken.None);
            var arguments = new List<string> { "rm", "-f" };
            arguments.AddRange(ids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (arguments.Count > 2)
            {
                _ = await RunAsync(arguments, CancellationToken.None);
            }

            return arguments.Count - 2;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync($"footprint: removing the run's containers failed: {ex.Message}");
            return 0;
        }
    }

    private static async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("docker") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"docker {arguments[0]} exited with {process.ExitCode}: {(await error).Trim()}");
    }
}
