using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>
/// Reads Docker config files with a size limit. The sandbox's files are the task's input (fetched
/// URIs, or written by an earlier task's container): they are opened component by component with
/// <c>O_NOFOLLOW</c>, so a symbolic link (to the host's <c>/root/.docker/config.json</c>, say) is
/// refused instead of followed, and a FIFO or device never blocks or floods the executor.
/// </summary>
internal static partial class ConfigFileReader
{
    /// <summary>The largest config file read (1 MiB); a real one is a few hundred bytes.</summary>
    public const int MaxBytes = 1 << 20;

    private const int ORdonly = 0x0;
    private const int ONonblock = 0x800;
    private const int OCloexec = 0x80000;
    private const int ENoent = 2;
    private const int ENotdir = 20;
    private const int ELoop = 40;

    /// <summary>
    /// Reads <paramref name="directory"/>/<paramref name="components"/> (joined with <c>/</c>) without
    /// following a symbolic link at any of <paramref name="components"/>; <paramref name="directory"/>
    /// itself (the sandbox, chosen by the agent) may be one.
    /// </summary>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    /// <exception cref="IOException">The file is a link, too large, or cannot be read; the message names it.</exception>
    public static byte[]? ReadInside(string directory, params ReadOnlySpan<string> components)
    {
        string display = Path.Join(directory, string.Join('/', components.ToArray()));
        int fd = OpenNative(directory, ORdonly | OCloexec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENoent or ENotdir)
            {
                return null;
            }

            throw Failure(display, errno);
        }

        var current = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            for (int i = 0; i < components.Length; i++)
            {
                string component = components[i];
                int flags = ORdonly | ONonblock | OCloexec | NoFollow | (i < components.Length - 1 ? ODirectory : 0);
                int next = OpenAtNative(current, component, flags);
                if (next < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == ENotdir && IsSymbolicLink(directory, components[..(i + 1)]))
                    {
                        // O_NOFOLLOW | O_DIRECTORY on a link answers ENOTDIR rather than ELOOP.
                        errno = ELoop;
                    }

                    if (errno is ENoent or ENotdir)
                    {
                        return null;
                    }

                    if (errno == ELoop)
                    {
                        throw new IOException($"{display} is not read: '{component}' is a symbolic link, which is never followed");
                    }

                    throw Failure(display, errno);
                }

                current.Dispose();
                current = new SafeFileHandle(next, ownsHandle: true);
            }

            return ReadBounded(current, display);
        }
        finally
        {
            current.Dispose();
        }
    }

    /// <summary>Reads the operator's file at <paramref name="path"/> (links followed: the operator chose the path).</summary>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    /// <exception cref="IOException">The file is too large or cannot be read.</exception>
    public static byte[]? ReadOperatorFile(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"{path} cannot be read: {ex.Message}", ex);
        }

        using (handle)
        {
            return ReadBounded(handle, path);
        }
    }

    /// <summary>
    /// Reads a host file that a task names (the seccomp profile of a <c>security-opt</c> parameter)
    /// where the Docker CLI would read it: a relative path from the working directory (the sandbox,
    /// where the agent starts the executor), links followed. Unlike the CLI it never blocks or
    /// floods the executor: the file is opened non-blocking, so a FIFO is refused at once instead of
    /// waiting for a writer, and no more than <see cref="MaxBytes"/> are read, so a device such as
    /// <c>/dev/zero</c> is refused as too large.
    /// </summary>
    /// <exception cref="IOException">The file does not exist, is not a regular file, is too large or cannot be read; the message names it and never quotes it.</exception>
    public static byte[] ReadNamedByTask(string path)
    {
        int fd = OpenNative(path, ORdonly | ONonblock | OCloexec);
        if (fd < 0)
        {
            throw Failure(path, Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return ReadBounded(handle, path);
    }

    private static byte[] ReadBounded(SafeFileHandle handle, string display)
    {
        var buffer = new byte[8192];
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > MaxBytes)
                    {
                        throw new IOException($"{display} is not read: it is larger than {MaxBytes / (1 << 20)} MiB");
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBytes + 1));
                }

                int read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (NotSupportedException)
        {
            throw new IOException($"{display} is not read: it is not a regular file");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"{display} cannot be read: {ex.Message}", ex);
        }
        catch (IOException ex) when (!ex.Message.Contains(display, StringComparison.Ordinal))
        {
            throw new IOException($"{display} cannot be read: {ex.Message}", ex);
        }

        if (length > MaxBytes)
        {
            throw new IOException($"{display} is not read: it is larger than {MaxBytes / (1 << 20)} MiB");
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>For the message only: whether the path is a link (checked without following it).</summary>
    private static bool IsSymbolicLink(string directory, ReadOnlySpan<string> components)
    {
        try
        {
            return new FileInfo(Path.Join(directory, string.Join('/', components.ToArray()))).LinkTarget != null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static IOException Failure(string display, int errno) =>
        new($"{display} cannot be read: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    /// <summary><c>O_NOFOLLOW</c>, whose value differs between Linux architectures.</summary>
    private static int NoFollow => IsArmOrPower ? 0x8000 : 0x20000;

    /// <summary><c>O_DIRECTORY</c>, whose value differs between Linux architectures.</summary>
    private static int ODirectory => IsArmOrPower ? 0x4000 : 0x10000;

    private static bool IsArmOrPower => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAtNative(SafeFileHandle directory, string path, int flags);
}
