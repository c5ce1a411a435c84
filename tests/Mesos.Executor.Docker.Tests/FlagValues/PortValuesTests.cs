using System.Linq;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="PortValues"/>: exposed ports and published ports with ranges, protocols and IPv6 addresses.</summary>
[TestFixture]
public sealed class PortValuesTests
{
    [TestCase("80", "80/tcp")]
    [TestCase("53/UDP", "53/udp")]
    [TestCase("8000-8002/sctp", "8000/sctp,8001/sctp,8002/sctp")]
    public void Expose_PortsAndRanges_AreKeys(string value, string expected) =>
        Assert.That(string.Join(',', PortValues.Expose(value)), Is.EqualTo(expected));

    [TestCase("0", "not a port number")]
    [TestCase("65536", "not a port number")]
    [TestCase("90-80", "not a port range")]
    [TestCase("80/icmp", "not a protocol")]
    public void Expose_Invalid_Throws(string value, string message) =>
        Assert.That(() => PortValues.Expose(value).ToList(), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));

    [TestCase("80", "80/tcp=:")]
    [TestCase("8080:80", "80/tcp=:8080")]
    [TestCase("127.0.0.1:8080:80/udp", "80/udp=127.0.0.1:8080")]
    [TestCase("[::1]:8080:80", "80/tcp=::1:8080")]
    [TestCase("8000-8001:80-81", "80/tcp=:8000,81/tcp=:8001")]
    [TestCase("8000-8010:80", "80/tcp=:8000-8010")]
    [TestCase("0:80", "80/tcp=:0")]
    public void Publish_Forms_AreBindings(string value, string expected)
    {
        var bindings = PortValues.Publish(value).Select(b => $"{b.Key}={b.Value.HostIP}:{b.Value.HostPort}");
        Assert.That(string.Join(',', bindings), Is.EqualTo(expected));
    }

    [TestCase("::1:8080:80", "IPv6 addresses in brackets")]
    [TestCase("[::1]8080:80", "[IP]:HOSTPORT:CONTAINERPORT")]
    [TestCase("[::1]:80", "[IP]:HOSTPORT:CONTAINERPORT")]
    [TestCase("nowhere:8080:80", "not an IP address")]
    [TestCase("8000-8002:80-81", "differ in size")]
    [TestCase("8080:0", "not a port number")]
    public void Publish_Invalid_Throws(string value, string message) =>
        Assert.That(() => PortValues.Publish(value), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));
}
