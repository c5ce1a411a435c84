using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Hooks;

/// <summary>
/// What the hook integration tests share: the root/tool gate, host commands run with argument
/// vectors, and busybox containers started through the real <see cref="DockerContainerizer"/>.
/// </summary>
internal static class HookHost
{
    public const int HttpPort = 8080;

    /// <summary>Fails (CI) or ignores the test unless the engine runs and we are root with iptables, ip and nsenter.</summary>
    public static async Task RequireAsync(CancellationToken cancellationToken)
    {
        await DockerTestEnvironment.RequireEngineAsync(cancellationToken);
        string? problem = null;
        if (!System.Environment.IsPrivilegedProcess)
        {
            problem = "the hook integration tests need root (network namespaces, iptables)";
        }
        else
        {
            foreach (string tool in new[] { "iptables", "iptables-save", "ip", "nsenter" })
            {
                if ((await RunAsync("sh", ["-c", "command -v \"$0\"", tool], cancellationToken)).ExitCode != 0)
                {
                    problem = $"'{tool}' is missing (build/ensure-docker.sh installs iptables and iproute2; nsenter is in util-linux)";
                    break;
                }
            }
        }

        if (problem is null)
        {
            return;
        }

        if (DockerTestEnvironment.IsCI)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }

    public static DockerContainerizer CreateContainerizer() =>
        new(new DockerContainerizerOptions { ExtraLabels = new Dictionary<string, string>(DockerTestEnvironment.RunLabels) });

    /// <summary>A busybox task on the default bridge running <paramref name="shellCommand"/>.</summary>
    public static TaskInfo Task(string name, string shellCommand, params (string Key, string Value)[] labels)
    {
        var task = new TaskInfo
        {
            Name = name,
            TaskId = new TaskID { Value = $"{name}-{DockerTestEnvironment.RunId}" },
            AgentId = new AgentID { Value = "agent-1" },
            Command = new CommandInfo { Shell = true, Value = shellCommand },
            Container = new ContainerInfo
            {
                Type = ContainerInfo.Types.Type.Docker,
                Docker = new ContainerInfo.Types.DockerInfo
                {
                    Image = DockerTestEnvironment.TestImage,
                    Network = ContainerInfo.Types.DockerInfo.Types.Network.Bridge,
                },
            },
        };
        if (labels.Length > 0)
        {
            task.Labels = new Labels();
            foreach (var (key, value) in labels)
            {
                task.Labels.Labels_.Add(new Label { Key = key, Value = value });
            }
        }

        return task;
    }

    /// <summary>Creates and starts the task's container; the returned context carries its id and details.</summary>
    public static async Task<HookContext> StartAsync(IContainerizer containerizer, TaskInfo task, CancellationToken cancellationToken)
    {
        HookContext created = HookTestHarness.CreateContext(task, containerizer);
        string containerId = await containerizer.CreateAsync(created.Spec, cancellationToken);
        await containerizer.StartAsync(containerId, cancellationToken);
        ContainerDetails details = await containerizer.InspectAsync(containerId, cancellationToken);

        // Hooks cannot change a context's container; the executor (here: the test) makes one that carries it.
        var context = new HookContext(created.Spec, containerizer, created.Logger) { ContainerId = containerId, Container = details };
        Assert.That(context.Container.Pid, Is.GreaterThan(0), "the container runs");
        Assert.That(context.Container.IPAddresses, Is.Not.Empty, "the container has a bridge address");
        return context;
    }

    /// <summary>Waits until the server answers "ok" from the host (through the bridge gateway).</summary>
    public static async Task WaitForHttpAsync(ContainerDetails server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        string url = $"http://{server.IPAddresses[0]}:{HttpPort}/";
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Assert.That((await http.GetStringAsync(url, cancellationToken)).Trim(), Is.EqualTo("ok"));
                return;
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                // httpd is still starting: a real process, polled.
                await System.Threading.Tasks.Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Fetches the server's page from inside <paramref name="client"/> (busybox <c>nc</c>; the image's
    /// static <c>wget</c> crashes); exit code 0 means it connected and got "ok" within 2 seconds.
    /// </summary>
    public static async Task<ExecResult> FetchFromAsync(IContainerExec containerizer, HookContext client, ContainerDetails server, CancellationToken cancellationToken) =>
        await containerizer.ExecAsync(
            client.ContainerId!,
            new ExecRequest
            {
                Arguments = ["sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 \"$0\" \"$1\" | grep -q ok", server.IPAddresses[0].ToString(), HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Timeout = TimeSpan.FromSeconds(10),
            },
            cancellationToken);

    /// <summary>Runs a host program with an argument vector.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The iptables rules of a container's namespace (<c>iptables-save</c> and <c>ip6tables-save</c>).</summary>
    public static async Task<string> SaveRulesAsync(int pid, CancellationToken cancellationToken)
    {
        var v4 = await RunAsync("nsenter", [$"--net=/proc/{pid}/ns/net", "--", "iptables-save"], cancellationToken);
        var v6 = await RunAsync("nsenter", [$"--net=/proc/{pid}/ns/net", "--", "ip6tables-save"], cancellationToken);
        Assert.That(v4.ExitCode, Is.Zero, v4.Error);
        return v4.Output + v6.Output;
    }

    public static bool LinkExists(string path) => new FileInfo(path).LinkTarget is not null || File.Exists(path);
}
