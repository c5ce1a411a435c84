using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="ResourceValues"/>: sizes in binary units, CPUs as nano CPUs and CPU sets.</summary>
[TestFixture]
public sealed class ResourceValuesTests
{
    [TestCase("512", 512L)]
    [TestCase("512b", 512L)]
    [TestCase("64m", 64L * 1024 * 1024)]
    [TestCase("1g", 1024L * 1024 * 1024)]
    [TestCase("1.5GiB", 3L * 512 * 1024 * 1024)]
    [TestCase("2 k", 2048L)]
    [TestCase("1p", 1024L * 1024 * 1024 * 1024 * 1024)]
    public void Size_Valid_IsInBinaryUnits(string value, long expected) =>
        Assert.That(ResourceValues.Size(value), Is.EqualTo(expected));

    [TestCase("", "not a size")]
    [TestCase("-1", "not a size")]
    [TestCase("1x", "not a size")]
    [TestCase("1.m", "not a size")]
    [TestCase("8192p", "too large")]
    [TestCase("99999999999999999999999999999999", "too large")]
    public void Size_Invalid_Throws(string value, string message) =>
        Assert.That(() => ResourceValues.Size(value), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));

    [Test]
    public void SizeOrUnlimited_MinusOne_IsUnlimited()
    {
        Assert.That(ResourceValues.SizeOrUnlimited("-1"), Is.EqualTo(-1));
        Assert.That(ResourceValues.SizeOrUnlimited("1k"), Is.EqualTo(1024));
    }

    [TestCase("1.5", 1_500_000_000L)]
    [TestCase("0.0000000004", 0L)]
    [TestCase("2", 2_000_000_000L)]
    public void NanoCpus_Decimal_IsRounded(string value, long expected) =>
        Assert.That(ResourceValues.NanoCpus(value), Is.EqualTo(expected));

    [TestCase("-1")]
    [TestCase("one")]
    public void NanoCpus_Invalid_Throws(string value) =>
        Assert.That(() => ResourceValues.NanoCpus(value), Throws.TypeOf<FlagValueException>());

    [TestCase("0-3,5", true)]
    [TestCase("7", true)]
    [TestCase("0-", false)]
    [TestCase("a", false)]
    public void CpuSet_ListsAndRanges_Parse(string value, bool valid)
    {
        if (valid)
        {
            Assert.That(ResourceValues.CpuSet(value), Is.EqualTo(value));
        }
        else
        {
            Assert.That(() => ResourceValues.CpuSet(value), Throws.TypeOf<FlagValueException>());
        }
    }
}
