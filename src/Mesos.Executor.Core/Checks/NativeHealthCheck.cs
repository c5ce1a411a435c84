using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Executor.Core;

/// <summary>
/// The default <see cref="IHealthCheck"/>: HTTP(S) and TCP probes against loopback inside the
/// container's network namespace, command probes through <see cref="IContainerExec.ExecAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// As in Mesos (docs/health-checks.md), network probes target <c>127.0.0.1</c> (<c>[::1]</c> for
/// IPv6) at the task's own (not a mapped) port. For a container with its own network namespace the
/// probe's socket is created inside the namespace of the container's init process
/// (<c>/proc/&lt;pid&gt;/ns/net</c>, entered with <c>setns(2)</c> on a dedicated thread that returns
/// to the executor's namespace before doing anything else; the thread serves all probes of this
/// instance and exits when idle); with host networking the host's loopback is used directly. No
/// helper process is started.
/// </para>
/// <para>
/// HTTP(S): one GET; 3xx redirects are followed (up to 10) while they point at a loopback
/// address, i.e. stay inside the namespace (a redirect elsewhere ends the probe with its 3xx
/// status); success is a final status in 200..399. HTTPS does not verify the certificate, like
/// Mesos's <c>curl -k</c>. TCP: success is a completed connect. Command: the command runs in
/// the container (<c>/bin/sh -c value</c> when <c>shell</c>, else <c>value</c> followed by
/// <c>arguments</c>, which is how Mesos's Docker runtime wraps it in <c>docker exec</c>) with the
/// command's environment and user; success is exit code 0; at the timeout the containerizer kills it.
/// </para>
/// </remarks>
public sealed class NativeHealthCheck : IHealthCheck
{
    /// <summary>Redirects followed before giving up (curl's own default is higher; 10 is plenty for a check).</summary>
    private const int MaxRedirects = 10;

    /// <summary>How long after its timeout a command probe is abandoned if the containerizer has not returned.</summary>
    private static readonly TimeSpan CommandBackstop = TimeSpan.FromSeconds(1);

    /// <summary>Timers cannot exceed this; longer timeouts mean "none".</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 2);

    // The usual outcomes, shared (a ProbeResult is immutable): one allocation less per probe.
    private static readonly ProbeResult Connected = new() { Succeeded = true };
    private static readonly ProbeResult HttpOk = new() { Succeeded = true, StatusCode = 200 };

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly NamespaceSocketFactory _sockets;

    /// <summary>Creates the probe.</summary>
    /// <param name="loggerFactory">Where probe diagnostics go.</param>
    public NativeHealthCheck(ILoggerFactory? loggerFactory = null)
        : this(loggerFactory, TimeProvider.System)
    {
    }

    /// <summary>Creates the probe with its own clock (tests).</summary>
    internal NativeHealthCheck(ILoggerFactory? loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NativeHealthCheck>();
        _timeProvider = timeProvider;
        _sockets = new NamespaceSocketFactory(timeProvider);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Kind switch
        {
            ProbeKind.Command => CommandAsync(request, cancellationToken),
            ProbeKind.Tcp => NetworkAsync(request, http: false, cancellationToken),
            ProbeKind.Http or ProbeKind.Https => NetworkAsync(request, http: true, cancellationToken),
            _ => Task.FromResult(new ProbeResult { Succeeded = false, Message = $"unknown probe kind {request.Kind}" }),
        };
    }

    /// <summary>Why a command probe cannot run through <paramref name="containerizer"/>.</summary>
    internal static string CannotExecMessage(IContainerizer containerizer) =>
        $"the containerizer ({containerizer.GetType().Name}) cannot run commands in containers: it does not implement {nameof(IContainerExec)}";

    private async Task<ProbeResult> CommandAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        var command = request.Command;
        if (command == null || !command.HasValue)
        {
            return new ProbeResult { Succeeded = false, Message = "the command check has no command" };
        }

        // The executor refuses such a task at launch (DefaultTaskCheckFactory); this covers direct callers.
        if (request.Containerizer is not IContainerExec containerExec)
        {
            return new ProbeResult { Succeeded = false, Message = CannotExecMessage(request.Containerizer) };
        }

        var exec = new ExecRequest
        {
            Arguments = CommandArguments(command),
            Environment = CommandEnvironment(command),
            Timeout = request.Timeout > TimeSpan.Zero ? request.Timeout : null,
            User = command.HasUser ? command.User : null,
        };

        using var timeout = StartTimeout(request.Timeout, CommandBackstop, cancellationToken, out var registration);
        try
        {
            var result = await containerExec.ExecAsync(request.Container.Id, exec, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
            if (result.TimedOut)
            {
                return TimedOut(request);
            }

            return result.ExitCode == 0
                ? new ProbeResult { Succeeded = true, ExitCode = 0 }
                : new ProbeResult { Succeeded = false, ExitCode = result.ExitCode, Message = $"the command exited with code {result.ExitCode}" };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(request);
        }
        catch (ContainerizerException ex)
        {
            return new ProbeResult { Succeeded = false, Message = $"the command could not be run: {ex.Message}" };
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>
    /// The argument vector for <paramref name="command"/>: <c>/bin/sh -c value</c> for a shell
    /// command; otherwise <c>value</c> followed by <c>arguments</c>, as Mesos's Docker runtime passes
    /// them to <c>docker exec</c> (src/checks/checker_process.cpp, dockerCommandCheck).
    /// </summary>
    internal static IReadOnlyList<string> CommandArguments(CommandInfo command)
    {
        if (command.Shell)
        {
            return ["/bin/sh", "-c", command.Value];
        }

        var arguments = new string[command.Arguments.Count + 1];
        arguments[0] = command.Value;
        command.Arguments.CopyTo(arguments, 1);
        return arguments;
    }

    /// <summary>The command's own variables (values and value secrets), or <see langword="null"/>.</summary>
    internal static IReadOnlyDictionary<string, string>? CommandEnvironment(CommandInfo command)
    {
        if (command.Environment == null || command.Environment.Variables.Count == 0)
        {
            return null;
        }

        var environment = new Dictionary<string, string>(command.Environment.Variables.Count, StringComparer.Ordinal);
        foreach (var variable in command.Environment.Variables)
        {
            if (variable.Type == Mesos.V1.Environment.Types.Variable.Types.Type.Secret)
            {
                if (variable.Secret?.Value != null)
                {
                    environment[variable.Name] = variable.Secret.Value.Data.ToStringUtf8();
                }
            }
            else
            {
                environment[variable.Name] = variable.Value;
            }
        }

        return environment;
    }

    private async Task<ProbeResult> NetworkAsync(ProbeRequest request, bool http, CancellationToken cancellationToken)
    {
        if (request.Port is <= 0 or > 65535)
        {
            return new ProbeResult { Succeeded = false, Message = $"port {request.Port} is out of range" };
        }

        if (!request.Container.UsesHostNetwork && request.Container.Pid <= 0)
        {
            return new ProbeResult { Succeeded = false, Message = "the container has no process whose network namespace could be entered" };
        }

        using var timeout = StartTimeout(request.Timeout, TimeSpan.Zero, cancellationToken, out var registration);
        var token = timeout?.Token ?? cancellationToken;
        try
        {
            if (!http)
            {
                using var socket = await ConnectAsync(request.Container, request.IPv6, request.Port, token).ConfigureAwait(false);
                return Connected;
            }

            return await HttpAsync(request, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut(request);
        }
        catch (SocketException ex)
        {
            return new ProbeResult { Succeeded = false, Message = $"connecting to port {request.Port} failed: {ex.SocketErrorCode}" };
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or UriFormatException)
        {
            return new ProbeResult { Succeeded = false, Message = ex.Message };
        }
        finally
        {
            registration.Dispose();
        }
    }

    // The inner steps of a probe return pooled ValueTasks (each is awaited once, by its caller):
    // no task object per step and probe.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ProbeResult> HttpAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        bool https = request.Kind == ProbeKind.Https;
        bool ipv6 = request.IPv6;
        int port = request.Port;
        string path = string.IsNullOrEmpty(request.Path) ? "/" : request.Path;
        for (int redirects = 0; ; redirects++)
        {
            string host = ipv6 ? "[::1]" : "127.0.0.1";
            var socket = await ConnectAsync(request.Container, ipv6, port, cancellationToken).ConfigureAwait(false);
            var response = await LoopbackHttpClient.GetAsync(socket, https, host, port, path, cancellationToken).ConfigureAwait(false);
            int status = response.StatusCode;
            if (status is >= 300 and < 400 && response.Location != null)
            {
                if (redirects == MaxRedirects)
                {
                    return new ProbeResult { Succeeded = false, Message = $"more than {MaxRedirects} redirects" };
                }

                var current = new Uri($"{(https ? "https" : "http")}://{host}:{port}{path}");
                var target = new Uri(current, response.Location);
                if ((target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps) && target.IsLoopback)
                {
                    https = target.Scheme == Uri.UriSchemeHttps;
                    ipv6 = target.HostNameType == UriHostNameType.IPv6;
                    port = target.Port;
                    path = target.PathAndQuery;
                    continue;
                }

                Log.HealthCheckRedirectNotFollowed(_logger, request.Container.Id, target.Host);
            }

            return status is >= 200 and < 400
                ? (status == 200 ? HttpOk : new ProbeResult { Succeeded = true, StatusCode = status })
                : new ProbeResult { Succeeded = false, StatusCode = status, Message = $"unexpected HTTP status {status}" };
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Socket> ConnectAsync(ContainerDetails container, bool ipv6, int port, CancellationToken cancellationToken)
    {
        var family = ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var socket = container.UsesHostNetwork
            ? new Socket(family, SocketType.Stream, ProtocolType.Tcp)
            : await _sockets.CreateAsync(NetworkNamespace.PathOf(container.Pid), family, cancellationToken).ConfigureAwait(false);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(new IPEndPoint(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A source cancelled <paramref name="extra"/> after <paramref name="timeout"/> or with
    /// <paramref name="cancellationToken"/>; <see langword="null"/> when there is no timeout.
    /// </summary>
    private CancellationTokenSource? StartTimeout(TimeSpan timeout, TimeSpan extra, CancellationToken cancellationToken, out CancellationTokenRegistration registration)
    {
        registration = default;
        if (timeout <= TimeSpan.Zero || timeout + extra > MaxTimer)
        {
            return null;
        }

        var source = new CancellationTokenSource(timeout + extra, _timeProvider);
        if (cancellationToken.CanBeCanceled)
        {
            registration = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        }

        return source;
    }

    private ProbeResult TimedOut(ProbeRequest request)
    {
        Log.HealthCheckProbeTimedOut(_logger, request.Container.Id, request.Kind, request.Timeout);
        return new ProbeResult { Succeeded = false, TimedOut = true, Message = $"timed out after {request.Timeout.TotalSeconds:0.###}s" };
    }
}
