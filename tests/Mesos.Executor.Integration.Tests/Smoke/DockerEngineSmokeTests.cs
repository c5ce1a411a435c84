using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using Mesos.Executor.TestSupport;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Smoke;

/// <summary>
/// Proves the test environment itself: the engine answers and the local test image runs, through
/// Docker.DotNet alone (no project code involved).
/// </summary>
[TestFixture]
[Category("Docker")]
public sealed class DockerEngineSmokeTests
{
    [OneTimeTearDown]
    public Task CleanupAsync() => DockerTestEnvironment.CleanupAsync();

    [Test]
    [CancelAfter(60_000)]
    public async Task CreateStartWaitRemove_TestImage_ExitCodeComesBack(CancellationToken cancellationToken)
    {
        await DockerTestEnvironment.RequireEngineAsync(cancellationToken);
        using var client = DockerTestEnvironment.CreateClient();

        var created = await client.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = DockerTestEnvironment.TestImage,
                Cmd = new List<string> { "sh", "-c", "cat /var/www/index.html && exit 7" },
                Labels = DockerTestEnvironment.RunLabels,
            },
            cancellationToken);
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            var waited = await client.Containers.WaitContainerAsync(created.ID, cancellationToken);
            Assert.That(waited.StatusCode, Is.EqualTo(7));
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }

        var remaining = await client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["id"] = new Dictionary<string, bool> { [created.ID] = true } },
            },
            cancellationToken);
        Assert.That(remaining, Is.Empty);
    }
}
