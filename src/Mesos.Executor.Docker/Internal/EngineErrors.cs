using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Mesos.Executor.Core;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// The package's boundary for errors: turns whatever an engine call threw into the
/// <see cref="ContainerizerException"/> the containerizer reports. The engine's error answers become
/// messages (never inner exceptions, so no engine type leaves the package); the BCL causes of broken
/// connections and unreadable answers are kept as inner exceptions.
/// </summary>
internal static class EngineErrors
{
    /// <summary>Translates <paramref name="exception"/>, thrown while doing <paramref name="what"/>.</summary>
    /// <param name="exception">What the engine call threw (not a cancellation).</param>
    /// <param name="what">The operation, e.g. <c>stopping container 0123456789ab</c>; the message says it failed.</param>
    /// <param name="endpoint">The engine's address, named when it cannot be reached.</param>
    public static ContainerizerException Translate(Exception exception, string what, Uri endpoint) => exception switch
    {
        DockerRequestException request => new ContainerizerException(
            $"{what} failed: {request.Message} (HTTP {(int)request.StatusCode})"),
        HttpRequestException or SocketException or IOException => new ContainerizerException(
            $"{what} failed: cannot talk to the Docker engine at {endpoint}: {exception.Message}", exception),
        JsonException => new ContainerizerException(
            $"{what} failed: unexpected answer from the Docker engine: {exception.Message}", exception),
        _ => new ContainerizerException($"{what} failed: {exception.Message}", exception),
    };
}
