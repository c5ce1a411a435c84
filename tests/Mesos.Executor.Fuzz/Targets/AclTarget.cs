using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks;
using Mesos.Executor.Hooks.Internal;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// The ACL hook's address lists: each input line is one value of the task's
/// <c>EXECUTOR_ALLOWED_IP</c> label, run through <see cref="AclHook.PostRunAsync"/> (parsing,
/// then the iptables rules, against a recording runner and a fake <c>/proc</c>) and
/// <see cref="AclHook.PostStopAsync"/>; the same lines as the operator's
/// <c>default_allowed_sources</c> through <see cref="AclHookOptions.Validate"/>.
/// </summary>
public sealed class AclTarget : FuzzTarget
{
    private const int ContainerPid = 42;
    private static readonly Lazy<string> ProcRoot = new(CreateProcRoot);

    /// <inheritdoc />
    public override string Name => "acl";

    /// <inheritdoc />
    public override string Description => "ACL hook address lists (task label, default_allowed_sources)";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        string[] lines = Encoding.UTF8.GetString(data).Split('\n');
        try
        {
            new AclHookOptions { DefaultAllowedSources = lines }.Validate();
        }
        catch (ExecutorConfigurationException)
        {
        }

        var hook = new AclHook(new AclHookOptions { DefaultAllowedSources = ["10.0.0.0/8", "fd00::/8"] }, new AcceptingRunner(), ProcRoot.Value);
        TaskInfo task = new() { TaskId = new TaskID { Value = "task-1" }, Labels = new Labels() };
        foreach (string line in lines)
        {
            task.Labels.Labels_.Add(new Label { Key = "EXECUTOR_ALLOWED_IP", Value = line });
        }

        var context = new HookContext(
            new ContainerSpec { Task = task, Framework = Samples.Framework(), Executor = Samples.Executor() },
            NullContainerizer.Instance,
            NullLogger.Instance)
        {
            ContainerId = "0123456789abcdef",
            Container = new ContainerDetails
            {
                Id = "0123456789abcdef",
                Pid = ContainerPid,
                Gateways = [IPAddress.Parse("172.17.0.1"), IPAddress.Parse("fe80::1")],
            },
        };
        hook.PostRunAsync(context).GetAwaiter().GetResult();
        hook.PostStopAsync(context).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is HookFailedException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // Entries of AclHookTests and CidrBlockTests.
        string[] seeds =
        [
            "10.0.0.0/8", "192.168.1.1", "10.1.2.3/24,172.16.0.0/12", "::1", "fd00::/8", "2001:db8::1/64",
            "10.0.0.0/33", "010.0.0.1", "10.1", "fe80::1%eth0", " 10.0.0.1 , 10.0.0.2 ", "", "0.0.0.0/0\n::/0",
            "::ffff:10.0.0.1", "1.2.3.4/", "1.2.3.4/-1",
        ];
        for (int i = 0; i < seeds.Length; i++)
        {
            yield return ("entry-" + i, Encoding.UTF8.GetBytes(seeds[i]));
        }
    }

    // A /proc with the container's network namespace and the executor's, different.
    private static string CreateProcRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), $"mesos-executor-fuzz-proc-{System.Environment.ProcessId}");
        Directory.CreateDirectory(Path.Combine(root, ContainerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "ns"));
        Directory.CreateDirectory(Path.Combine(root, "self", "ns"));
        string container = Path.Combine(root, ContainerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "ns", "net");
        string self = Path.Combine(root, "self", "ns", "net");
        if (!File.Exists(container) && new FileInfo(container).LinkTarget is null)
        {
            File.CreateSymbolicLink(container, "net:[4026532000]");
        }

        if (!File.Exists(self) && new FileInfo(self).LinkTarget is null)
        {
            File.CreateSymbolicLink(self, "net:[4026531840]");
        }

        return root;
    }

    // iptables as if every rule were new: -C answers "no such rule" (1), everything else succeeds.
    private sealed class AcceptingRunner : ICommandRunner
    {
        public Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            Task.FromResult(arguments.Contains("-C") ? new CommandResult(1, string.Empty, "Bad rule (does a matching rule exist in that chain?)") : CommandResult.Success);
    }
}
