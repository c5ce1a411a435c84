using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal.Registry;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Makes sure a task's image is present: looks it up, and pulls it per the pull policy with the
/// registry credentials that apply (the sandbox's Docker config files, else the operator's). A failed
/// pull names the image and, when credentials were sent, where they came from.
/// </summary>
internal sealed class ImagePuller
{
    private readonly EngineCalls _calls;
    private readonly RegistryCredentialResolver _credentials;
    private readonly ILogger _logger;

    public ImagePuller(EngineCalls calls, RegistryCredentialResolver credentials, ILogger logger)
    {
        _calls = calls;
        _credentials = credentials;
        _logger = logger;
    }

    /// <summary>Makes sure <paramref name="image"/> is present.</summary>
    /// <param name="image">The image as the task names it.</param>
    /// <param name="pull">The task's effective pull policy.</param>
    /// <param name="sandbox">The sandbox, where the task's own registry credentials may be.</param>
    /// <param name="forcePullLeftToAgent">
    /// Whether the task asked for <c>force_pull_image</c> that the agent honoured already (only logged
    /// when the image is present).
    /// </param>
    /// <param name="cancellationToken">Cancels the look-up and the pull.</param>
    /// <exception cref="ContainerizerException">The image is absent and may not be pulled, or the pull failed.</exception>
    public async Task EnsureAsync(string image, PullPolicy pull, string? sandbox, bool forcePullLeftToAgent, CancellationToken cancellationToken)
    {
        if (pull != PullPolicy.Always)
        {
            bool present = await _calls.RunAsync(
                $"looking up image '{image}'",
                shortCall: true,
                token => _calls.Engine.ImageExistsAsync(image, token),
                cancellationToken).ConfigureAwait(false);
            if (present)
            {
                if (forcePullLeftToAgent)
                {
                    Log.ImagePullLeftToAgent(_logger, image);
                }

                return;
            }

            if (pull == PullPolicy.Never)
            {
                throw new ContainerizerException($"image '{image}' is not present and the pull policy is Never");
            }
        }

        await PullAsync(image, sandbox, cancellationToken).ConfigureAwait(false);
    }

    private async Task PullAsync(string image, string? sandbox, CancellationToken cancellationToken)
    {
        string reference = ImageReference.WithDefaultTag(image);
        PullCredentials credentials;
        try
        {
            credentials = _credentials.Resolve(reference, sandbox);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new ContainerizerException($"pulling image '{image}' failed: registry credentials: {ex.Message}");
        }

        if (credentials.Credential != null)
        {
            Log.ImagePullCredentials(_logger, reference, credentials.Key!, credentials.Source!);
        }

        Log.ImagePulling(_logger, reference);
        long started = _calls.TimeProvider.GetTimestamp();
        var progress = new PullProgress(_logger, reference);
        try
        {
            await _calls.RunAsync(
                $"pulling image '{image}'",
                shortCall: false,
                async token =>
                {
                    await _calls.Engine.PullImageAsync(reference, credentials.Credential?.ToHeaderValue(), progress, token).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerizerException ex)
        {
            throw new ContainerizerException(credentials.Explain(ex.Message), ex.InnerException);
        }

        if (progress.Error is { } error)
        {
            throw new ContainerizerException(credentials.Explain($"pulling image '{image}' failed: {error}"));
        }

        Log.ImagePulled(_logger, reference, _calls.TimeProvider.GetElapsedTime(started));
    }
}
