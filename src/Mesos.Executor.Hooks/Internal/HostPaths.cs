using System;
using System.Collections.Generic;
using System.IO;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>Path arithmetic for host paths: lexical normalisation and symlink resolution.</summary>
internal static class HostPaths
{
    private const int MaxSymlinkHops = 40;

    /// <summary>
    /// Collapses <c>//</c>, <c>.</c> and <c>..</c> of a path without touching the file system. For a
    /// relative path a leading <c>..</c> that cannot be collapsed is kept (it escapes its base).
    /// </summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!absolute)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        string joined = string.Join('/', parts);
        return absolute ? "/" + joined : (joined.Length == 0 ? "." : joined);
    }

    /// <summary>
    /// The real location of an absolute path: every symbolic link in the part that exists is
    /// followed (like <c>realpath -m</c>); the part that does not exist is normalised lexically.
    /// </summary>
    /// <exception cref="IOException">Too many levels of symbolic links.</exception>
    public static string Resolve(string absolutePath)
    {
        ArgumentNullException.ThrowIfNull(absolutePath);
        if (!absolutePath.StartsWith('/'))
        {
            throw new ArgumentException("the path must be absolute", nameof(absolutePath));
        }

        int hops = 0;
        var pending = new Queue<string>(absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        string current = "/";
        while (pending.Count > 0)
        {
            string part = pending.Dequeue();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Parent(current);
                continue;
            }

            string candidate = current == "/" ? "/" + part : current + "/" + part;
            string? target = ReadLink(candidate);
            if (target is null)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaxSymlinkHops)
            {
                throw new IOException($"too many levels of symbolic links resolving '{absolutePath}'");
            }

            // Restart from the link's target followed by what is left of the path.
            var rest = new List<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries));
            rest.AddRange(pending);
            pending = new Queue<string>(rest);
            if (target.StartsWith('/'))
            {
                current = "/";
            }
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or inside it (both normalised, absolute).</summary>
    public static bool IsUnder(string path, string root) =>
        root == "/"
        || string.Equals(path, root, StringComparison.Ordinal)
        || path.StartsWith(root + "/", StringComparison.Ordinal);

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
