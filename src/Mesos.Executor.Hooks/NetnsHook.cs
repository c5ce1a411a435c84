using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>netns</c>: names the container's network namespace after the task, so operators can run
/// <c>ip netns exec &lt;task id&gt; ss -tlnp</c> on the agent.
/// </summary>
/// <remarks>
/// <para>
/// After the container started (post-run) a symbolic link <c>/var/run/netns/&lt;name&gt;</c> →
/// <c>/proc/&lt;pid&gt;/ns/net</c> is made (the directory is created when missing); after the
/// container stopped (post-stop) the link is removed, if it is still the one made here.
/// </para>
/// <para>
/// The name is the task id when it consists of letters, digits, <c>.</c>, <c>_</c> and <c>-</c>
/// only. Otherwise every other character becomes <c>_</c> and <c>-</c> plus 8 hex digits of the
/// task id's SHA-256 are appended (<c>web/1</c> → <c>web_1-&lt;hash&gt;</c>), so two tasks never share a name.
/// The name is logged. An existing link of the same name (left over) is replaced; a file or
/// directory of that name (for instance one made by <c>ip netns add</c>) fails the hook.
/// </para>
/// </remarks>
public sealed class NetnsHook : IHook
{
    private readonly NetnsHookOptions _options;
    private readonly string _procRoot;
    private readonly ConcurrentDictionary<string, (string Link, string Target)> _links = new(StringComparer.Ordinal);

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public NetnsHook(NetnsHookOptions? options = null)
        : this(options ?? new NetnsHookOptions(), "/proc")
    {
    }

    internal NetnsHook(NetnsHookOptions options, string procRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _procRoot = procRoot;
    }

    /// <inheritdoc />
    public string Name => HookNames.Netns;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <summary>The link name used for a task id (see the remarks of <see cref="NetnsHook"/>).</summary>
    /// <param name="taskId">The task id.</param>
    /// <returns>A valid file name for the netns directory.</returns>
    public static string LinkName(string taskId) => Names.NetnsName(taskId);

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The container does not run, or the link cannot be made.</exception>
    public Task PostRunAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        string taskId = TaskFacts.TaskId(context);
        ContainerDetails container = context.Container
            ?? throw Fail(HookPhase.PostRun, "the container's details are unknown (it is not running)");
        if (container.Pid <= 0)
        {
            throw Fail(HookPhase.PostRun, "the container has no process (it is not running)");
        }

        string name = Names.NetnsName(taskId);
        string link = Path.Combine(_options.Directory, name);
        string target = $"{_procRoot}/{container.Pid}/ns/net";
        try
        {
            Directory.CreateDirectory(_options.Directory);
            var existing = new FileInfo(link);
            if (existing.LinkTarget is null && (existing.Exists || Directory.Exists(link)))
            {
                throw Fail(HookPhase.PostRun, $"{link} exists and is not a symbolic link (made by 'ip netns add'?); it is left alone");
            }

            // Make the link under a temporary name, then rename it over any stale one: atomic.
            string temporary = Path.Combine(_options.Directory, $".{name}.{Environment.ProcessId}.tmp");
            File.Delete(temporary);
            File.CreateSymbolicLink(temporary, target);
            File.Move(temporary, link, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Fail(HookPhase.PostRun, $"could not link {link} to {target}: {ex.Message}", ex);
        }

        _links[taskId] = (link, target);
        context.Logger.NetnsLinked(taskId, name, target);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="HookFailedException">The link cannot be removed.</exception>
    public Task PostStopAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        string taskId = TaskFacts.TaskId(context);
        if (!_links.TryRemove(taskId, out var made))
        {
            return Task.CompletedTask;
        }

        try
        {
            // Only our own link: someone may have replaced it since.
            if (string.Equals(new FileInfo(made.Link).LinkTarget, made.Target, StringComparison.Ordinal))
            {
                File.Delete(made.Link);
                context.Logger.NetnsUnlinked(taskId, Path.GetFileName(made.Link));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Fail(HookPhase.PostStop, $"could not remove {made.Link}: {ex.Message}", ex);
        }

        return Task.CompletedTask;
    }

    private HookFailedException Fail(HookPhase phase, string message, Exception? inner = null) => new(Name, phase, message, inner);
}
