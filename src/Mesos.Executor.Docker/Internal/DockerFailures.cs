using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;

namespace Mesos.Executor.Docker.Internal;

/// <summary>Classifies what went wrong talking to the engine.</summary>
internal static class DockerFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> means the connection to the engine broke or the engine is
    /// (re)starting, so that retrying later can succeed: socket and HTTP failures, cut-off bodies,
    /// engine calls that timed out, and 5xx answers other than 501 (not implemented).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        HttpRequestException or SocketException or IOException or JsonException or InvalidDataException or TimeoutException => true,
        DockerRequestException request => IsTransientStatus(request.StatusCode),
        _ => false,
    };

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 && status != HttpStatusCode.NotImplemented;
}
