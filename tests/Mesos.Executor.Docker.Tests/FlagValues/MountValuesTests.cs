using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="MountValues"/>: the <c>--mount</c> CSV, per type.</summary>
[TestFixture]
public sealed class MountValuesTests
{
    [Test]
    public void Mount_Bind_WithPropagationAndReadonly()
    {
        var mount = MountValues.Mount("type=bind,src=/host,dst=/data,readonly,bind-propagation=rslave");
        Assert.That((mount.Type, mount.Source, mount.Target, mount.ReadOnly, mount.BindOptions?.Propagation), Is.EqualTo(("bind", "/host", "/data", true, "rslave")));
    }

    [Test]
    public void Mount_DefaultType_IsVolumeWithDriverOptionsAndLabels()
    {
        var mount = MountValues.Mount("target=/data,volume-driver=local,volume-opt=type=nfs,volume-label=team,volume-nocopy=false");
        Assert.That(mount.Type, Is.EqualTo("volume"));
        Assert.That(mount.VolumeOptions!.DriverConfig!.Name, Is.EqualTo("local"));
        Assert.That(mount.VolumeOptions.DriverConfig.Options!["type"], Is.EqualTo("nfs"));
        Assert.That(mount.VolumeOptions.Labels!["team"], Is.EqualTo(string.Empty));
        Assert.That(mount.VolumeOptions.NoCopy, Is.False);
    }

    [Test]
    public void Mount_Tmpfs_SizeAndOctalMode()
    {
        var mount = MountValues.Mount("type=tmpfs,target=/run,tmpfs-size=64m,tmpfs-mode=1777");
        Assert.That(mount.TmpfsOptions!.SizeBytes, Is.EqualTo(64L * 1024 * 1024));
        Assert.That(mount.TmpfsOptions.Mode, Is.EqualTo(1023u));
    }

    [Test]
    public void Mount_QuotedField_KeepsItsComma() =>
        Assert.That(MountValues.Mount("type=bind,\"source=/a,b\",target=/data").Source, Is.EqualTo("/a,b"));

    [TestCase("", "must not be empty")]
    [TestCase("type=bind,target=/data", "needs a source")]
    [TestCase("source=/a", "target is required")]
    [TestCase("target=data", "absolute")]
    [TestCase("type=nfs,target=/data", "not bind, volume or tmpfs")]
    [TestCase("target=/data,colour=blue", "unknown field 'colour'")]
    [TestCase("target=/data,source", "must be KEY=VALUE")]
    [TestCase("type=bind,source=/a,target=/data,volume-nocopy", "volume options do not apply")]
    [TestCase("target=/data,bind-propagation=shared", "bind options do not apply")]
    [TestCase("target=/data,tmpfs-size=1m", "tmpfs options do not apply")]
    [TestCase("type=tmpfs,target=/run,tmpfs-mode=9", "not an octal mode")]
    [TestCase("\"target=/data", "unterminated quote")]
    public void Mount_Invalid_Throws(string value, string message) =>
        Assert.That(() => MountValues.Mount(value), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));
}
