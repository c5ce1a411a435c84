using System.Collections.Generic;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="VolumeValues"/>: <c>--volume</c>, <c>--volumes-from</c> and <c>--tmpfs</c>.</summary>
[TestFixture]
public sealed class VolumeValuesTests
{
    [TestCase("/data", null, "/data")]
    [TestCase("/data:ro", null, "/data")]
    [TestCase("/host:/data", "/host:/data", "/data")]
    [TestCase("named:/data:ro,z", "named:/data:ro,z", "/data")]
    [TestCase("/host:/data:rshared", "/host:/data:rshared", "/data")]
    public void Volume_Forms_BindOrAnonymous(string value, string? bind, string destination) =>
        Assert.That(VolumeValues.Volume(value), Is.EqualTo((bind, destination)));

    [TestCase("/host:/data:rx", "not a volume mode")]
    [TestCase(":/data", "empty source")]
    [TestCase("/a:/b:ro:x", "[SOURCE:]DESTINATION[:MODE]")]
    [TestCase("/host:data", "absolute")]
    public void Volume_Invalid_Throws(string value, string message) =>
        Assert.That(() => VolumeValues.Volume(value), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));

    [TestCase("web", true)]
    [TestCase("web:ro", true)]
    [TestCase("web:z", false)]
    [TestCase(":ro", false)]
    public void VolumesFrom_ContainerAndMode(string value, bool valid)
    {
        if (valid)
        {
            Assert.That(VolumeValues.VolumesFrom(value), Is.EqualTo(value));
        }
        else
        {
            Assert.That(() => VolumeValues.VolumesFrom(value), Throws.TypeOf<FlagValueException>());
        }
    }

    [Test]
    public void Tmpfs_PathAndOptions()
    {
        Assert.That(VolumeValues.Tmpfs("/run:size=64m,mode=1777"), Is.EqualTo(new KeyValuePair<string, string>("/run", "size=64m,mode=1777")));
        Assert.That(VolumeValues.Tmpfs("/run"), Is.EqualTo(new KeyValuePair<string, string>("/run", string.Empty)));
        Assert.That(() => VolumeValues.Tmpfs("run"), Throws.TypeOf<FlagValueException>());
    }
}
