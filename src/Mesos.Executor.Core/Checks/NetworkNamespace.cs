using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Core.Checks;

/// <summary>
/// Creates sockets inside another process's network namespace. A socket belongs to the namespace
/// it was created in for its whole life, so only <c>socket(2)</c> has to run inside the target
/// namespace; connecting and all I/O then happen from ordinary async code.
/// </summary>
/// <remarks>
/// Namespace membership is per thread. The switch happens on a dedicated, short-lived OS thread
/// (never a pool thread) that returns to its own namespace in a <c>finally</c> before it touches
/// anything else. Results are handed over only after that return: completing a task can make the
/// thread pool start a worker thread from the completing thread, and a new thread inherits the
/// namespaces of the thread that created it. If the return fails (it cannot in practice: we hold
/// an fd of our own namespace and have just proven the capability), the thread reports nothing
/// and exits, the namespace dying with it; the caller's wait then times out.
/// </remarks>
internal static partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;
    private const int OpenReadOnly = 0;
    private const int OpenCloseOnExec = 0x80000;

    // The work is a few syscalls; this bound only matters if the thread cannot report.
    private static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The path of the calling thread's own network namespace.</summary>
    public const string ThreadSelfPath = "/proc/thread-self/ns/net";

    /// <summary>The network namespace file of <paramref name="pid"/>.</summary>
    /// <param name="pid">A host pid.</param>
    /// <returns><c>/proc/&lt;pid&gt;/ns/net</c>.</returns>
    public static string PathOf(int pid) => string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net");

    /// <summary>
    /// Creates a TCP stream socket of <paramref name="family"/> inside the network namespace at
    /// <paramref name="namespacePath"/>.
    /// </summary>
    /// <param name="namespacePath">A namespace file, e.g. <c>/proc/1234/ns/net</c> or <c>/run/netns/x</c>.</param>
    /// <param name="family">The socket's address family.</param>
    /// <param name="timeProvider">Times the hand-over.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>An unconnected socket living in that namespace.</returns>
    /// <exception cref="IOException">The namespace could not be entered or the socket not created.</exception>
    public static async Task<Socket> CreateSocketAsync(
        string namespacePath,
        AddressFamily family,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WarmUp.Ensure();
        var work = new SocketWork(namespacePath, family);
        var thread = new Thread(static state => ((SocketWork)state!).Run(), maxStackSize: 256 * 1024)
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
            throw new IOException($"no socket was handed over from the network namespace {namespacePath}");
        }
        catch (OperationCanceledException)
        {
            // The socket may still arrive; nobody will use it.
            _ = work.Completion.Task.ContinueWith(
                static t => t.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }

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
        WarmUp.Ensure();
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

    /// <summary>
    /// Runs <paramref name="inside"/> in the namespace at <paramref name="namespacePath"/> on the
    /// calling (dedicated) thread and returns whether the thread is back in its own namespace.
    /// </summary>
    private static bool Enter<TState>(string namespacePath, TState state, Action<TState> inside, out Exception? error)
    {
        error = null;
        bool stranded = false;
        int home = -1;
        int target = -1;
        try
        {
            home = Open(ThreadSelfPath, OpenReadOnly | OpenCloseOnExec);
            if (home < 0)
            {
                error = LastError("open", ThreadSelfPath);
                return true;
            }

            target = Open(namespacePath, OpenReadOnly | OpenCloseOnExec);
            if (target < 0)
            {
                error = LastError("open", namespacePath);
                return true;
            }

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
            if (target >= 0)
            {
                _ = Close(target);
            }

            if (home >= 0)
            {
                _ = Close(home);
            }
        }
    }

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

    /// <summary>
    /// Runs the sockets stack's one-time initialisation (native library, telemetry) in our own
    /// namespace, so that nothing but <c>socket(2)</c> happens inside another.
    /// </summary>
    private static class WarmUp
    {
        private static readonly bool Done = Initialize();

        public static void Ensure() => _ = Done;

        private static bool Initialize()
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            return true;
        }
    }

    private sealed class SocketWork(string namespacePath, AddressFamily family)
    {
        private Socket? _socket;

        public TaskCompletionSource<Socket> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            bool home = Enter(namespacePath, this, static w => w._socket = new Socket(w.Family, SocketType.Stream, ProtocolType.Tcp), out var error);
            if (!home)
            {
                // Stranded in the other namespace: hand nothing over (see the class remarks).
                _socket?.Dispose();
                return;
            }

            if (_socket != null && error == null)
            {
                Completion.SetResult(_socket);
            }
            else
            {
                _socket?.Dispose();
                Completion.SetException(error ?? new IOException("no socket was created"));
            }
        }

        private AddressFamily Family => family;
    }

    private sealed class ActionWork<T>(string namespacePath, Func<T> action)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run()
        {
            bool home = Enter(namespacePath, this, static w => w._result = w.Action(), out var error);
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
