using System.Collections.Generic;
using System.Linq;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Reference.CommandLine;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

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
            Assert.That(dns.Mesos.Single().Domain, Is.EqualTo("corp"));
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

    [Test]
    public void ToDefaultDns_DockerEntries_BecomeTheContainerizersPerNetworkDefaults()
    {
        var dns = ContainerDnsInfo.Parse("""
            {
              "mesos": [{"network_mode": "CNI", "dns": {"nameservers": ["9.9.9.9"]}}],
              "docker": [
                {"network_mode": "BRIDGE", "dns": {"nameservers": ["10.0.0.1"], "search": ["b.example"], "options": ["ndots:1"]}},
                {"network_mode": "USER", "network_name": "net1", "dns": {"nameservers": ["10.0.0.2"]}},
                {"network_mode": "USER", "dns": {"nameservers": ["10.0.0.3"]}}
              ]
            }
            """);

        DefaultDnsSettings defaults = dns.ToDefaultDns();

        Assert.Multiple(() =>
        {
            Assert.That(defaults.Bridge?.Nameservers, Is.EqualTo(new[] { "10.0.0.1" }));
            Assert.That(defaults.Bridge?.Search, Is.EqualTo(new[] { "b.example" }));
            Assert.That(defaults.Bridge?.Options, Is.EqualTo(new[] { "ndots:1" }));
            Assert.That(defaults.Networks.Keys, Is.EqualTo(new[] { "net1" }));
            Assert.That(defaults.Networks["net1"].Nameservers, Is.EqualTo(new[] { "10.0.0.2" }));
            Assert.That(defaults.UserNetwork?.Nameservers, Is.EqualTo(new[] { "10.0.0.3" }));
        });
    }

    [Test]
    public void ToDefaultDns_OnlyMesosEntries_LeavesTheEngineDefaults()
    {
        DefaultDnsSettings defaults = ContainerDnsInfo.Parse("""{"mesos":[{"network_mode":"CNI","dns":{}}]}""").ToDefaultDns();

        Assert.Multiple(() =>
        {
            Assert.That(defaults.Bridge, Is.Null);
            Assert.That(defaults.UserNetwork, Is.Null);
            Assert.That(defaults.Networks, Is.EqualTo(new Dictionary<string, DnsSettings>()));
        });
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
