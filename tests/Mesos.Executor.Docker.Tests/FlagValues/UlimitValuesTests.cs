using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="UlimitValues"/>: <c>name=soft[:hard]</c> with the names go-units knows.</summary>
[TestFixture]
public sealed class UlimitValuesTests
{
    [TestCase("nofile=1024", "nofile", 1024L, 1024L)]
    [TestCase("nofile=1024:2048", "nofile", 1024L, 2048L)]
    [TestCase("core=0:-1", "core", 0L, -1L)]
    public void Ulimit_Valid_Parses(string value, string name, long soft, long hard)
    {
        var ulimit = UlimitValues.Ulimit(value);
        Assert.That((ulimit.Name, ulimit.Soft, ulimit.Hard), Is.EqualTo((name, soft, hard)));
    }

    [TestCase("files=1", "not a ulimit name")]
    [TestCase("nofile=", "not NAME=SOFT[:HARD]")]
    [TestCase("nofile=1:2:3", "not NAME=SOFT[:HARD]")]
    [TestCase("nofile=2048:1024", "must not exceed")]
    [TestCase("nofile=x", "not an integer")]
    [TestCase("nofile", "not KEY=VALUE")]
    public void Ulimit_Invalid_Throws(string value, string message) =>
        Assert.That(() => UlimitValues.Ulimit(value), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));
}
