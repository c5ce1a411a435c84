using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// A file opened with <c>O_APPEND</c>. The sandbox's <c>stdout</c> / <c>stderr</c> are also the
/// executor's own output files: every write must land at the end, whoever else wrote meanwhile.
/// (.NET's <see cref="FileMode.Append"/> only seeks once and then writes at its own offset, which
/// overwrites the other writer's output.)
/// </summary>
internal sealed partial class AppendOnlyFile : IDisposable
{
    private const int OWronly = 0x1;
    private const int OCreat = 0x40;
    private const int OAppend = 0x400;
    private const int OCloexec = 0x80000;
    private const int EIntr = 4;

    private readonly SafeFileHandle _handle;

    private AppendOnlyFile(SafeFileHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating with mode 0644) <paramref name="path"/> for appending.</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static AppendOnlyFile Open(string path)
    {
        int fd = OpenNative(path, OWronly | OCreat | OAppend | OCloexec, 0b110_100_100);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open '{path}' for appending: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        return new AppendOnlyFile(new SafeFileHandle(fd, ownsHandle: true), path);
    }

    /// <summary>Appends all of <paramref name="data"/>.</summary>
    /// <exception cref="IOException">The write failed.</exception>
    public unsafe void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            int offset = 0;
            while (offset < data.Length)
            {
                nint written = WriteNative(_handle, start + offset, data.Length - offset);
                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EIntr)
                    {
                        continue;
                    }

                    throw new IOException($"cannot write to '{Path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
                }

                offset += (int)written;
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(SafeFileHandle fd, byte* buffer, nint count);
}
