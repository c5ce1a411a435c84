using System;
using System.IO;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// Creates missing bind-mount sources inside the sandbox. Bind mounts in <c>HostConfig.Mounts</c>
/// (the form sources with ':' need) must have an existing source, while <c>docker run -v</c>, which
/// Mesos uses, creates a missing one: do that for sources inside the sandbox (volumes with relative
/// host paths), as the engine would. Sources elsewhere on the host are left alone.
/// </summary>
internal static class SandboxSources
{
    /// <exception cref="ContainerizerException">A directory could not be created.</exception>
    public static void CreateMissing(HostConfig? host, string? sandbox)
    {
        if (host?.Mounts is null || sandbox is null)
        {
            return;
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sandbox)) + "/";
        foreach (Mount mount in host.Mounts)
        {
            if (mount.Type != "bind" || mount.Source is not { } source)
            {
                continue;
            }

            string full = Path.GetFullPath(source);
            if (full.StartsWith(root, StringComparison.Ordinal) && !Path.Exists(full))
            {
                try
                {
                    Directory.CreateDirectory(full);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new ContainerizerException($"creating the volume source '{full}' in the sandbox failed: {ex.Message}", ex);
                }
            }
        }
    }
}
