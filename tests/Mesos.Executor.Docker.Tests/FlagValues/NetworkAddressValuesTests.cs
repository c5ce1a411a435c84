using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="NetworkAddressValues"/>: extra hosts, IP addresses and DNS search domains.</summary>
[TestFixture]
public sealed class NetworkAddressValuesTests
{
    [TestCase("db:10.0.0.5", "db:10.0.0.5")]
    [TestCase("db=10.0.0.5", "db:10.0.0.5")]
    [TestCase("db:[::1]", "db:::1")]
    [TestCase("gw:host-gateway", "gw:host-gateway")]
    public void ExtraHost_Valid_IsHostColonIp(string value, string expected) =>
        Assert.That(NetworkAddressValues.ExtraHost(value), Is.EqualTo(expected));

    [TestCase("db")]
    [TestCase(":10.0.0.5")]
    [TestCase("db:nowhere")]
    public void ExtraHost_Invalid_Throws(string value) =>
        Assert.That(() => NetworkAddressValues.ExtraHost(value), Throws.TypeOf<FlagValueException>());

    [Test]
    public void IPAddressText_ValidOrNot()
    {
        Assert.That(NetworkAddressValues.IPAddressText("fd00::1"), Is.EqualTo("fd00::1"));
        Assert.That(() => NetworkAddressValues.IPAddressText("10.0.0"), Throws.Nothing, "IPAddress.TryParse accepts the short IPv4 forms, as inet_aton does");
        Assert.That(() => NetworkAddressValues.IPAddressText("ten"), Throws.TypeOf<FlagValueException>());
    }

    [TestCase(".", true)]
    [TestCase("example.com", true)]
    [TestCase("-bad.com", false)]
    [TestCase("a..b", false)]
    public void DnsSearch_DomainsOrDot(string value, bool valid)
    {
        if (valid)
        {
            Assert.That(NetworkAddressValues.DnsSearch(value), Is.EqualTo(value));
        }
        else
        {
            Assert.That(() => NetworkAddressValues.DnsSearch(value), Throws.TypeOf<FlagValueException>());
        }
    }

    [Test]
    public void DnsSearch_Longer255_Throws() =>
        Assert.That(() => NetworkAddressValues.DnsSearch(string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 63), new string('e', 10))), Throws.TypeOf<FlagValueException>());
}
