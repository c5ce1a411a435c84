using System;
using System.IO;
using Mesos.Executor.Hooks.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests.Internal;

[TestFixture]
public sealed class HostPathsTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "hostpaths-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "real", "inner"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [TestCase("/a//b/./c/", "/a/b/c")]
    [TestCase("/a/../../b", "/b")]
    [TestCase("/", "/")]
    [TestCase("a/./b/../c", "a/c")]
    [TestCase("../x", "../x")]
    [TestCase("a/../..", "..")]
    [TestCase(".", ".")]
    public void Normalize_Path_CollapsesLexically(string path, string expected) =>
        Assert.That(HostPaths.Normalize(path), Is.EqualTo(expected));

    [Test]
    public void Resolve_AbsoluteAndRelativeLinks_AreFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), Path.Combine(_root, "real"));
        File.CreateSymbolicLink(Path.Combine(_root, "rel"), "real/inner");

        Assert.That(HostPaths.Resolve(_root + "/abs/inner/missing/file"), Is.EqualTo(_root + "/real/inner/missing/file"));
        Assert.That(HostPaths.Resolve(_root + "/rel/.."), Is.EqualTo(_root + "/real"));
    }

    [Test]
    public void Resolve_LinkLoop_Throws()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "loop"), Path.Combine(_root, "loop"));

        Assert.That(() => HostPaths.Resolve(_root + "/loop/x"), Throws.TypeOf<IOException>());
    }

    [TestCase("/a/b", "/a", true)]
    [TestCase("/a", "/a", true)]
    [TestCase("/ab", "/a", false)]
    [TestCase("/x", "/", true)]
    public void IsUnder_Paths_ComparesWholeComponents(string path, string root, bool expected) =>
        Assert.That(HostPaths.IsUnder(path, root), Is.EqualTo(expected));
}
