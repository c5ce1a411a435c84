using System;
using System.IO;
using Mesos.V1;

namespace Mesos.Executor.Hooks.Tests.Support;

/// <summary>Builders for the tasks and fake /proc trees the hook tests use.</summary>
internal static class TestTasks
{
    public static TaskInfo Task(string id = "web-1", params (string Key, string? Value)[] labels)
    {
        var task = new TaskInfo
        {
            Name = "web",
            TaskId = new TaskID { Value = id },
            AgentId = new AgentID { Value = "agent-1" },
        };
        if (labels.Length > 0)
        {
            task.Labels = new Labels();
            foreach (var (key, value) in labels)
            {
                var label = new Label { Key = key };
                if (value is not null)
                {
                    label.Value = value;
                }

                task.Labels.Labels_.Add(label);
            }
        }

        return task;
    }

    public static TaskInfo DockerTask(string id = "web-1", Action<ContainerInfo.Types.DockerInfo>? configure = null)
    {
        TaskInfo task = Task(id);
        task.Container = new ContainerInfo
        {
            Type = ContainerInfo.Types.Type.Docker,
            Docker = new ContainerInfo.Types.DockerInfo { Image = "busybox" },
        };
        configure?.Invoke(task.Container.Docker);
        return task;
    }

    /// <summary>
    /// A directory standing in for /proc: <c>self/ns/net</c> and <c>&lt;pid&gt;/ns/net</c> are
    /// symbolic links to <c>net:[id]</c>, as the kernel shows them.
    /// </summary>
    public sealed class FakeProc : IDisposable
    {
        public FakeProc()
        {
            Root = Path.Combine(Path.GetTempPath(), "fake-proc-" + Guid.NewGuid().ToString("N"));
            SetNamespace("self", "net:[4026531840]");
        }

        public string Root { get; }

        public string NetnsPath(int pid) => $"{Root}/{pid}/ns/net";

        public void SetNamespace(string pid, string identity)
        {
            string dir = Path.Combine(Root, pid, "ns");
            Directory.CreateDirectory(dir);
            string link = Path.Combine(dir, "net");
            if (new FileInfo(link).LinkTarget is not null)
            {
                File.Delete(link);
            }

            File.CreateSymbolicLink(link, identity);
        }

        public void Remove(string pid) => Directory.Delete(Path.Combine(Root, pid), recursive: true);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
