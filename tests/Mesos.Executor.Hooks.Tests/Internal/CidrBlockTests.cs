using Mesos.Executor.Hooks.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests.Internal;

[TestFixture]
public sealed class CidrBlockTests
{
    [TestCase("8.8.8.8", "8.8.8.8/32", false)]
    [TestCase("10.0.0.0/24", "10.0.0.0/24", false)]
    [TestCase("10.0.0.77/24", "10.0.0.0/24", false)]
    [TestCase("0.0.0.0/0", "0.0.0.0/0", false)]
    [TestCase("255.255.255.255/32", "255.255.255.255/32", false)]
    [TestCase("172.16.5.4/12", "172.16.0.0/12", false)]
    [TestCase("2001:db8::1", "2001:db8::1/128", true)]
    [TestCase("2001:DB8:0:0:1::/64", "2001:db8::/64", true)]
    [TestCase("::/0", "::/0", true)]
    [TestCase("fe80::1/10", "fe80::/10", true)]
    public void TryParse_Valid_ReturnsCanonicalNetwork(string text, string expected, bool ipv6)
    {
        Assert.That(CidrBlock.TryParse(text, out CidrBlock block, out string error), Is.True, error);
        Assert.That(block.ToString(), Is.EqualTo(expected));
        Assert.That(block.Family, Is.EqualTo(ipv6 ? IpFamily.IPv6 : IpFamily.IPv4));
    }

    [TestCase("", "empty")]
    [TestCase(" ", "empty")]
    [TestCase("1.2.3", "not an IPv4 or IPv6 address")]
    [TestCase("1.2.3.4.5", "not an IPv4 or IPv6 address")]
    [TestCase("256.1.1.1", "not an IPv4 or IPv6 address")]
    [TestCase("01.1.1.1", "not an IPv4 or IPv6 address")]
    [TestCase("1.1.1.1a", "not an IPv4 or IPv6 address")]
    [TestCase("+1.1.1.1", "not an IPv4 or IPv6 address")]
    [TestCase("0x7f.0.0.1", "not an IPv4 or IPv6 address")]
    [TestCase("1.1.1.1/33", "prefix length between 0 and 32")]
    [TestCase("1.1.1.1/", "prefix length")]
    [TestCase("1.1.1.1/+8", "prefix length")]
    [TestCase("1.1.1.1/ 8", "prefix length")]
    [TestCase("1.1.1.1/1/2", "prefix length")]
    [TestCase("::1/129", "prefix length between 0 and 128")]
    [TestCase("fe80::1%eth0", "not an IPv4 or IPv6 address")]
    [TestCase("[::1]", "not an IPv4 or IPv6 address")]
    [TestCase("1:2:3", "not an IPv4 or IPv6 address")]
    [TestCase("/24", "not an IPv4 or IPv6 address")]
    public void TryParse_Invalid_SaysWhy(string text, string reason)
    {
        Assert.That(CidrBlock.TryParse(text, out _, out string error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void FromAddress_Ipv4MappedIpv6_IsIpv4()
    {
        CidrBlock block = CidrBlock.FromAddress(System.Net.IPAddress.Parse("::ffff:10.1.2.3"));

        Assert.That(block.ToString(), Is.EqualTo("10.1.2.3/32"));
        Assert.That(block.Family, Is.EqualTo(IpFamily.IPv4));
    }
}
