using System.Linq;
using Mesos.Executor.Core;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

[TestFixture]
public sealed class ContainerDnsInfoTests
{
    [Test]
    public void Parse_AgentExample_ReadsEveryEntry()
    {
        var dns = ContainerDnsInfo.Parse("""
            {
              "mesos": [{"network_mode": "CNI", "network_name": "net1", "dns": {"nameservers": ["8.8.8.8", "8.8.4.4"], "domain": "corp"}}],
              "docker": [
                {"network_mode": "BRIDGE", "dns": {"nameservers": ["8.8.8.8"], "search": ["a.example"], "options": ["ndots:2"]}},
                {"network_mode": "USER", "network_name": "net2", "dns": {"nameservers": ["1.1.1.1"]}}
              ]
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(dns.Mesos.Single().NetworkMode, Is.EqualTo(MesosDnsNetworkMode.Cni));
            Assert.That(dns.Mesos.Single().Dns.Domain, Is.EqualTo("corp"));
            Assert.That(dns.Docker.Select(d => d.NetworkMode), Is.EqualTo(new[] { DockerDnsNetworkMode.Bridge, DockerDnsNetworkMode.User }));
            Assert.That(dns.Docker[0].Dns.Search, Is.EqualTo(new[] { "a.example" }));
            Assert.That(dns.Docker[0].Dns.Options, Is.EqualTo(new[] { "ndots:2" }));
            Assert.That(dns.Docker[1].NetworkName, Is.EqualTo("net2"));
        });
    }

    [TestCase("""{"docker":[{"network_mode":"HOST","dns":{}}]}""", "HOST")]
    [TestCase("""{"docker":[{"dns":{}}]}""", "UNKNOWN")]
    [TestCase("""{"docker":[{"network_mode":"BRIDGE","dns":{}},{"network_mode":"BRIDGE","dns":{}}]}""", "BRIDGE")]
    [TestCase("""{"docker":[{"network_mode":"USER","dns":{}},{"network_mode":"USER","dns":{}}]}""", "without network_name")]
    [TestCase("""{"docker":[{"network_mode":"USER","network_name":"n","dns":{}},{"network_mode":"USER","network_name":"n","dns":{}}]}""", "'n'")]
    [TestCase("""{"docker":[{"network_mode":"BRIDGE"}]}""", "dns is required")]
    [TestCase("""{"docker":[{"network_mode":"WIFI","dns":{}}]}""", "'WIFI'")]
    [TestCase("""{"docker":[{"network_mode":"BRIDGE","dns":{"nameservers":[1]}}]}""", "array of strings")]
    [TestCase("""{"mesos":[{"network_mode":"CNI","dns":{}},{"network_mode":"CNI","dns":{}}]}""", "mesos entry without network_name")]
    [TestCase("""[]""", "JSON object")]
    [TestCase("""{""", "not JSON")]
    public void Parse_BreaksAnAgentRule_FailsSayingWhich(string json, string expected)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => ContainerDnsInfo.Parse(json));

        Assert.That(ex!.Message, Does.Contain(expected).And.Contain("--default_container_dns"));
    }

    // Found by the docker-json-flags fuzz target (issue 16).
    [TestCase("""{"docker":[{"network_mode":"HOST","dns":{"nameservers":["\udc00"]}}]}""")]
    [TestCase("""{"mesos":[{"network_mode":"CNI","network_name":"\ud800","dns":{}}]}""")]
    public void Parse_EscapedLoneSurrogate_ThrowsConfigurationError(string json)
    {
        var ex = Assert.Throws<ExecutorConfigurationException>(() => ContainerDnsInfo.Parse(json));

        Assert.That(ex!.Message, Does.Contain("--default_container_dns"));
    }
}
