using System;
using System.Globalization;
using Mesos.V1;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// Builds <see cref="CheckStatusInfo"/> values with the conventions of Mesos's built-in executors
/// (docs/health-checks.md, "Anatomy of a Check"): the type is always set, and a missing result
/// (not run yet, timed out, failed to run) is the type's sub-message present but empty.
/// </summary>
internal static class CheckStatuses
{
    /// <summary>The empty result of <paramref name="check"/>'s type.</summary>
    /// <param name="check">The task's check.</param>
    /// <returns>A new status with the type set and the sub-message present but empty.</returns>
    public static CheckStatusInfo Empty(CheckInfo check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return Empty(check.Type);
    }

    /// <summary>The empty result of a check of <paramref name="type"/>.</summary>
    public static CheckStatusInfo Empty(CheckInfo.Types.Type type)
    {
        var status = new CheckStatusInfo { Type = type };
        switch (type)
        {
            case CheckInfo.Types.Type.Command:
                status.Command = new CheckStatusInfo.Types.Command();
                break;
            case CheckInfo.Types.Type.Http:
                status.Http = new CheckStatusInfo.Types.Http();
                break;
            case CheckInfo.Types.Type.Tcp:
                status.Tcp = new CheckStatusInfo.Types.Tcp();
                break;
        }

        return status;
    }

    /// <summary>
    /// The status a probe's outcome gives, as Mesos's checker reports it: the exit code of a
    /// command that ran, the status code of any HTTP response, whether a TCP connect succeeded;
    /// empty when the probe timed out or could not be performed.
    /// </summary>
    public static CheckStatusInfo FromProbe(CheckInfo.Types.Type type, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var status = Empty(type);
        if (result.TimedOut)
        {
            return status;
        }

        switch (type)
        {
            case CheckInfo.Types.Type.Command when result.ExitCode is int exitCode:
                status.Command.ExitCode = exitCode;
                break;
            case CheckInfo.Types.Type.Http when result.StatusCode is int statusCode:
                status.Http.StatusCode = (uint)statusCode;
                break;
            case CheckInfo.Types.Type.Tcp:
                // mesos-tcp-connect cannot tell a refused connection from other errors: all are "false".
                status.Tcp.Succeeded = result.Succeeded;
                break;
        }

        return status;
    }

    /// <summary>
    /// Whether two statuses are equal in value AND field presence, as Mesos compares them
    /// (protobuf's MessageDifferencer): an exit code of 0 differs from no exit code. The generated
    /// <c>Equals</c> ignores proto2 presence, so it cannot be used.
    /// </summary>
    public static bool AreEqual(CheckStatusInfo left, CheckStatusInfo right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.HasType == right.HasType
            && left.Type == right.Type
            && SameCommand(left.Command, right.Command)
            && SameHttp(left.Http, right.Http)
            && SameTcp(left.Tcp, right.Tcp);

        static bool SameCommand(CheckStatusInfo.Types.Command? a, CheckStatusInfo.Types.Command? b) =>
            a == null || b == null ? a == b : a.HasExitCode == b.HasExitCode && a.ExitCode == b.ExitCode;

        static bool SameHttp(CheckStatusInfo.Types.Http? a, CheckStatusInfo.Types.Http? b) =>
            a == null || b == null ? a == b : a.HasStatusCode == b.HasStatusCode && a.StatusCode == b.StatusCode;

        static bool SameTcp(CheckStatusInfo.Types.Tcp? a, CheckStatusInfo.Types.Tcp? b) =>
            a == null || b == null ? a == b : a.HasSucceeded == b.HasSucceeded && a.Succeeded == b.Succeeded;
    }

    /// <summary>A short description for logs.</summary>
    public static string Describe(CheckStatusInfo status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.Type switch
        {
            CheckInfo.Types.Type.Command when status.Command is { HasExitCode: true } c => string.Create(CultureInfo.InvariantCulture, $"exit code {c.ExitCode}"),
            CheckInfo.Types.Type.Http when status.Http is { HasStatusCode: true } h => string.Create(CultureInfo.InvariantCulture, $"HTTP status {h.StatusCode}"),
            CheckInfo.Types.Type.Tcp when status.Tcp is { HasSucceeded: true } t => t.Succeeded ? "TCP connection succeeded" : "TCP connection failed",
            _ => "no result",
        };
    }
}
