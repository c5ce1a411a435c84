using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// Entering network namespaces with <c>setns(2)</c>. A socket belongs to the namespace it was
/// created in for its whole life, so only <c>socket(2)</c> has to run inside the target
/// namespace; connecting and all I/O then happen from ordinary async code.
/// </summary>
/// <remarks>
/// Namespace membership is per thread. Switching happens only on dedicated OS threads (never a
/// pool thread), which return to their own namespace in a <c>finally</c> before they touch anything
/// else. Results are handed over only after that return: completing a task can make the thread
/// pool start a worker thread from the completing thread, and a new thread inherits the
/// namespaces of the thread that created it. If the return fails (it cannot in practice: the
/// thread holds an fd of its own namespace and has just proven the capability), the thread hands
/// nothing over and exits, the foreign namespace dying with it; the caller's wait then times out.
/// </remarks>
internal static partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;
    private const int OpenReadOnly = 0;
    private const int OpenCloseOnExec = 0x80000;

    /// <summary>The work is a few syscalls; this bound only matters if a thread cannot report.</summary>
    public static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The path of the calling thread's own network namespace.</summary>
    public const string ThreadSelfPath = "/proc/thread-self/ns/net";

    /// <summary>The network namespace file of <paramref name="pid"/>.</summary>
    /// <param name="pid">A host pid.</param>
    /// <returns><c>/proc/&lt;pid&gt;/ns/net</c>.</returns>
    public static string PathOf(int pid) => string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net");

    /// <summary>
    /// Runs <paramref name="action"/> on a dedicated thread inside the namespace at
    /// <paramref name="namespacePath"/>, returning to the thread's own namespace afterwards.
    /// For tests and tools (e.g. to bind a listener inside a namespace); the action must not start
    /// threads or queue work.
    /// </summary>
    /// <typeparam name="T">The action's result.</typeparam>
    /// <param name="namespacePath">A namespace file.</param>
    /// <param name="action">What to do inside the namespace.</param>
    /// <param name="timeProvider">Times the hand-over.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The action's result.</returns>
    /// <exception cref="IOException">The namespace could not be entered.</exception>
    public static async Task<T> RunInNamespaceAsync<T>(
        string namespacePath,
        Func<T> action,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WarmUp();
        var work = new ActionWork<T>(namespacePath, action);
        var thread = new Thread(static state => ((ActionWork<T>)state!).Run(), maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "mesos-netns",
        };
        thread.UnsafeStart(work);
        try
        {
            return await work.Completion.Task.WaitAsync(HandOverTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new IOException($"no result was handed over from the network namespace {namespacePath}");
        }
    }

    /// <summary>Reads the inode of a namespace file (two namespaces are the same when their inodes are).</summary>
    /// <param name="namespacePath">A namespace file such as <see cref="ThreadSelfPath"/>.</param>
    /// <returns>The text of the link, e.g. <c>net:[4026531840]</c>.</returns>
    public static string Identify(string namespacePath) =>
        new FileInfo(namespacePath).LinkTarget ?? throw new IOException($"{namespacePath} is not a namespace link");

    /// <summary>Opens the calling thread's own namespace, to return to it later.</summary>
    /// <param name="fd">The namespace fd, to close with <see cref="CloseNamespace"/>.</param>
    /// <returns>An error, or <see langword="null"/>.</returns>
    public static IOException? OpenOwnNamespace(out int fd)
    {
        fd = Open(ThreadSelfPath, OpenReadOnly | OpenCloseOnExec);
        return fd < 0 ? LastError("open", ThreadSelfPath) : null;
    }

    /// <summary>Closes an fd from <see cref="OpenOwnNamespace"/>.</summary>
    public static void CloseNamespace(int fd) => _ = Close(fd);

    /// <summary>
    /// On the calling (dedicated) thread, whose own namespace is <paramref name="home"/>: enters the
    /// namespace at <paramref name="namespacePath"/>, runs <paramref name="inside"/>, and returns.
    /// </summary>
    /// <returns>Whether the thread is back in <paramref name="home"/> (if not, it must exit without handing anything over).</returns>
    public static bool RunInside<TState>(int home, string namespacePath, TState state, Action<TState> inside, out Exception? error)
    {
        error = null;
        int target = Open(namespacePath, OpenReadOnly | OpenCloseOnExec);
        if (target < 0)
        {
            error = LastError("open", namespacePath);
            return true;
        }

        bool stranded = false;
        try
        {
            if (SetNs(target, CloneNewNet) != 0)
            {
                error = LastError("setns", namespacePath);
                return true;
            }

            try
            {
                inside(state);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            finally
            {
                if (SetNs(home, CloneNewNet) != 0)
                {
                    error = LastError("setns", ThreadSelfPath);
                    stranded = true;
                }
            }

            return !stranded;
        }
        finally
        {
            _ = Close(target);
        }
    }

    /// <summary>
    /// Runs the sockets stack's one-time initialisation (native library, telemetry) in our own
    /// namespace, so that nothing but <c>socket(2)</c> happens inside another.
    /// </summary>
    public static void WarmUp() => SocketsWarmUp.Ensure();

    private static IOException LastError(string call, string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int namespaceType);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private static class SocketsWarmUp
    {
        private static readonly bool Done = Initialize();

        public static void Ensure() => _ = Done;

        private static bool Initialize()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            return true;
        }
    }

    private sealed class ActionWork<T>(string namespacePath, Func<T> action)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            var openError = OpenOwnNamespace(out int own);
            if (openError != null)
            {
                Completion.SetException(openError);
                return;
            }

            bool home;
            Exception? error;
            try
            {
                home = RunInside(own, namespacePath, this, static w => w._result = w.Action(), out error);
            }
            finally
            {
                CloseNamespace(own);
            }

            if (!home)
            {
                return;
            }

            if (error == null)
            {
                Completion.SetResult(_result!);
            }
            else
            {
                Completion.SetException(error);
            }
        }

        private Func<T> Action => action;
    }
}
