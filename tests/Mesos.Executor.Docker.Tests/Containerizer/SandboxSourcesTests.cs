using System.Collections.Generic;
using System.IO;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.Engine;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary><see cref="SandboxSources"/>: missing bind sources are created inside the sandbox only.</summary>
[TestFixture]
public sealed class SandboxSourcesTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("sandbox-sources-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void CreateMissing_BindSourceInsideTheSandbox_IsCreated()
    {
        string sandbox = Path.Combine(_root, "runs", "a:b");
        Directory.CreateDirectory(sandbox);
        string source = Path.Combine(sandbox, "data", "x");

        SandboxSources.CreateMissing(Host(new Mount { Type = "bind", Source = source, Target = "/data" }), sandbox);

        Assert.That(Directory.Exists(source), Is.True);
    }

    [Test]
    public void CreateMissing_SourcesOutsideOrNotBinds_AreLeftAlone()
    {
        string sandbox = Path.Combine(_root, "sandbox");
        Directory.CreateDirectory(sandbox);
        string outside = Path.Combine(_root, "elsewhere");
        string sibling = Path.Combine(_root, "sandbox-sibling");
        string escaping = Path.Combine(sandbox, "..", "escaped");
        string volume = Path.Combine(sandbox, "volume");

        SandboxSources.CreateMissing(
            Host(
                new Mount { Type = "bind", Source = outside, Target = "/a" },
                new Mount { Type = "bind", Source = sibling, Target = "/b" },
                new Mount { Type = "bind", Source = escaping, Target = "/c" },
                new Mount { Type = "volume", Source = volume, Target = "/d" }),
            sandbox);

        Assert.That(new[] { outside, sibling, Path.GetFullPath(escaping), volume }, Has.None.Matches<string>(Directory.Exists));
    }

    [Test]
    public void CreateMissing_NoSandboxOrNoMounts_DoesNothing()
    {
        Assert.DoesNotThrow(() => SandboxSources.CreateMissing(null, _root));
        Assert.DoesNotThrow(() => SandboxSources.CreateMissing(new HostConfig(), _root));
        Assert.DoesNotThrow(() => SandboxSources.CreateMissing(Host(new Mount { Type = "bind", Source = "/x", Target = "/x" }), null));
    }

    private static HostConfig Host(params Mount[] mounts) => new() { Mounts = new List<Mount>(mounts) };
}
