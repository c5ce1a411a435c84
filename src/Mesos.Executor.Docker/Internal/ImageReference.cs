using System;

namespace Mesos.Executor.Docker.Internal;

/// <summary>Docker image reference helpers.</summary>
internal static class ImageReference
{
    /// <summary>
    /// The reference to pull: the image as given, with <c>:latest</c> added when it has neither a
    /// tag nor a digest (as the Docker CLI does; the engine would otherwise pull every tag).
    /// </summary>
    public static string WithDefaultTag(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return image;
        }

        int slash = image.LastIndexOf('/');
        return image.IndexOf(':', slash + 1) >= 0 ? image : image + ":latest";
    }
}
