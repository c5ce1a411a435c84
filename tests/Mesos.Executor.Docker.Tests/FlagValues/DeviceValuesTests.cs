using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="DeviceValues"/>: device mappings and the per-device block-I/O limits.</summary>
[TestFixture]
public sealed class DeviceValuesTests
{
    [TestCase("/dev/fuse", "/dev/fuse", "/dev/fuse", "rwm")]
    [TestCase("/dev/fuse:r", "/dev/fuse", "/dev/fuse", "r")]
    [TestCase("/dev/sda:/dev/xvda", "/dev/sda", "/dev/xvda", "rwm")]
    [TestCase("/dev/sda:/dev/xvda:rw", "/dev/sda", "/dev/xvda", "rw")]
    public void Device_Forms_Parse(string value, string host, string container, string permissions)
    {
        var device = DeviceValues.Device(value);
        Assert.That((device.PathOnHost, device.PathInContainer, device.CgroupPermissions), Is.EqualTo((host, container, permissions)));
    }

    [TestCase("/dev/sda:/dev/xvda:rx", "not a device mode")]
    [TestCase("/dev/sda:/dev/xvda:rr", "not a device mode")]
    [TestCase("/a:/b:r:x", "HOST[:CONTAINER][:PERMISSIONS]")]
    [TestCase("sda", "absolute")]
    [TestCase("/dev/sda:xvda", "absolute")]
    public void Device_Invalid_Throws(string value, string message) =>
        Assert.That(() => DeviceValues.Device(value), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));

    [Test]
    public void Throttles_PathAndRate_Parse()
    {
        Assert.That(DeviceValues.ThrottleBytes("/dev/sda:1m").Rate, Is.EqualTo(1024UL * 1024));
        Assert.That(DeviceValues.ThrottleIops("/dev/sda:100").Rate, Is.EqualTo(100UL));
        Assert.That(DeviceValues.WeightDevice("/dev/sda:500").Weight, Is.EqualTo(500));
        Assert.That(DeviceValues.ThrottleIops("/dev/disk/by-id/a:b:7").Path, Is.EqualTo("/dev/disk/by-id/a:b"), "the last ':' separates the value");
    }

    [TestCase("/dev/sda")]
    [TestCase("/dev/sda:")]
    [TestCase(":1")]
    [TestCase("sda:1")]
    [TestCase("/dev/sda:-1")]
    public void ThrottleIops_Invalid_Throws(string value) =>
        Assert.That(() => DeviceValues.ThrottleIops(value), Throws.TypeOf<FlagValueException>());

    [TestCase("/dev/sda:9")]
    [TestCase("/dev/sda:1001")]
    public void WeightDevice_OutsideTenToThousand_Throws(string value) =>
        Assert.That(() => DeviceValues.WeightDevice(value), Throws.TypeOf<FlagValueException>().With.Message.Contains("10..1000"));
}
