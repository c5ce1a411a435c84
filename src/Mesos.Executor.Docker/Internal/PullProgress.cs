using System;
using Mesos.Executor.Docker.Internal.Engine;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Receives the engine's pull messages (synchronously, on the reading thread): logs layer status
/// changes at Debug (not the byte counters) and keeps the error the engine reports in-band.
/// </summary>
internal sealed class PullProgress : IProgress<JSONMessage>
{
    private readonly ILogger _logger;
    private readonly string _image;

    public PullProgress(ILogger logger, string image)
    {
        _logger = logger;
        _image = image;
    }

    /// <summary>The engine's error message, if the pull failed after it started streaming.</summary>
    public string? Error { get; private set; }

    public void Report(JSONMessage value)
    {
        if (value is null)
        {
            return;
        }

        string? error = value.Error?.Message is { Length: > 0 } detail ? detail : value.ErrorMessage;
        if (!string.IsNullOrEmpty(error))
        {
            Error = error;
            return;
        }

        if (string.IsNullOrEmpty(value.Status) || value.Status is "Downloading" or "Extracting" or "Waiting" or "Verifying Checksum")
        {
            return;
        }

        Log.ImagePullProgress(_logger, _image, value.ID ?? string.Empty, value.Status);
    }
}
