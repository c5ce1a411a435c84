using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using Mesos.Executor.TestSupport;

namespace Mesos.Executor.Docker.Tests.Support;

/// <summary>Removes everything this test run created: containers (shared helper), then labelled networks and volumes.</summary>
internal static class DockerTestCleanup
{
    public static Task CleanupAsync(CancellationToken cancellationToken = default) => CleanupAsync(DockerTestEnvironment.Docker, cancellationToken);

    /// <summary>Removes everything this test run created in <paramref name="engine"/>.</summary>
    public static async Task CleanupAsync(EngineUnderTest engine, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(engine.SocketPath))
        {
            return;
        }

        await engine.CleanupAsync(cancellationToken);
        using var client = engine.CreateClient();
        string filter = $"{DockerTestEnvironment.TestLabel}={DockerTestEnvironment.RunId}";
        var networks = await client.Networks.ListNetworksAsync(
            new NetworksListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [filter] = true } } },
            cancellationToken);
        foreach (var network in networks)
        {
            try
            {
                await client.Networks.DeleteNetworkAsync(network.ID, cancellationToken);
            }
            catch (DockerApiException)
            {
            }
        }

        var volumes = await client.Volumes.ListAsync(
            new VolumesListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [filter] = true } } },
            cancellationToken);
        foreach (var volume in volumes.Volumes ?? [])
        {
            try
            {
                await client.Volumes.RemoveAsync(volume.Name, force: true, cancellationToken);
            }
            catch (DockerApiException)
            {
            }
        }
    }

    /// <summary>A fresh sandbox directory on the host.</summary>
    public static string NewSandbox()
    {
        string path = Path.Combine(Path.GetTempPath(), "mesos-executor-docker-tests", DockerTestEnvironment.RunId, Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteSandboxes()
    {
        string root = Path.Combine(Path.GetTempPath(), "mesos-executor-docker-tests", DockerTestEnvironment.RunId);
        try
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
