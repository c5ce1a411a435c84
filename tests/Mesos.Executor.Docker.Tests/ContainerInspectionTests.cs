using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

[TestFixture]
public sealed class ContainerInspectionTests
{
    private const string Json = """
        {"Id":"0123456789abcdef0123","Name":"/mesos-1",
         "State":{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Pid":4242,"ExitCode":0,"Error":"","StartedAt":"2024-05-01T10:00:00Z"},
         "Config":{"Tty":false,"StopSignal":"SIGQUIT"},
         "HostConfig":{"NetworkMode":"bridge"},
         "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"31000"},{"HostIp":"::","HostPort":"31000"}],"53/udp":null},
           "Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1","GlobalIPv6Address":"fd00::2","IPv6Gateway":"fd00::1"}}}}
        """;

    [Test]
    public void ToDetails_RunningBridgeContainer_HasAddressesPortsAndTheDockerInspectArray()
    {
        byte[] raw = Encoding.UTF8.GetBytes(Json);
        var inspection = ContainerInspection.Parse(raw);

        ContainerDetails details = inspection.ToDetails(raw);

        Assert.Multiple(() =>
        {
            Assert.That(details.Id, Is.EqualTo("0123456789abcdef0123"));
            Assert.That(details.Name, Is.EqualTo("mesos-1"));
            Assert.That(details.Pid, Is.EqualTo(4242));
            Assert.That(details.UsesHostNetwork, Is.False);
            Assert.That(details.IPAddresses, Is.EqualTo(new[] { IPAddress.Parse("172.17.0.2"), IPAddress.Parse("fd00::2") }));
            Assert.That(details.Gateways, Is.EqualTo(new[] { IPAddress.Parse("172.17.0.1"), IPAddress.Parse("fd00::1") }));
            Assert.That(details.PublishedPorts, Is.EqualTo(new[] { new PublishedPort { HostPort = 31000, ContainerPort = 80, Protocol = "tcp", HostIP = "0.0.0.0" }, new PublishedPort { HostPort = 31000, ContainerPort = 80, Protocol = "tcp", HostIP = "::" } }));
            Assert.That(Encoding.UTF8.GetString(details.RawData!), Is.EqualTo("[" + Json + "]"));
            Assert.That(inspection.StopSignal, Is.EqualTo("SIGQUIT"));
            Assert.That(inspection.IsAlive, Is.True);
        });
    }

    [Test]
    public void Parse_ExitedOomKilled_ReportsIt()
    {
        var inspection = ContainerInspection.Parse(Encoding.UTF8.GetBytes(
            """{"Id":"x","State":{"Running":false,"OOMKilled":true,"ExitCode":137,"Pid":0,"Error":""},"HostConfig":{"NetworkMode":"host"}}"""));

        Assert.Multiple(() =>
        {
            Assert.That((inspection.IsAlive, inspection.OomKilled, inspection.ExitCode, inspection.Error), Is.EqualTo((false, true, 137, (string?)null)));
            Assert.That(inspection.ToDetails(Encoding.UTF8.GetBytes("{}")).UsesHostNetwork, Is.True);
            Assert.That(inspection.IPAddresses, Is.Empty);
        });
    }

    [Test]
    public void Parse_NotAnInspectObject_Throws()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => ContainerInspection.Parse(Encoding.UTF8.GetBytes("""{"message":"no"}""")));
    }

    [TestCase("10", "SIGUSR1")]
    [TestCase("15", "SIGTERM")]
    [TestCase("SIGQUIT", "SIGQUIT")]
    [TestCase("40", "40")]
    public void Parse_StopSignalAsPodmanGivesIt_IsTheSignalsName(string stopSignal, string expected)
    {
        string json = "{\"Id\":\"0123456789abcdef0123\",\"Config\":{\"StopSignal\":\"" + stopSignal + "\"}}";

        Assert.That(ContainerInspection.Parse(Encoding.UTF8.GetBytes(json)).StopSignal, Is.EqualTo(expected));
    }

    // Found by the engine-json fuzz target (issue 16).
    [Test]
    public void Parse_EscapedLoneSurrogate_ThrowsJsonException()
    {
        byte[] raw = Encoding.UTF8.GetBytes("""{"Id":"\ud800x","Name":"/a"}""");

        Assert.Throws<JsonException>(() => ContainerInspection.Parse(raw));
    }

    // Found by the engine-json fuzz target (issue 16): an error body whose message cannot be read
    // as a string falls back to the body's text.
    [Test]
    public void ErrorMessage_EscapedLoneSurrogate_ReturnsTheBody()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"message":"\ud800"}""");

        Assert.That(DockerEngine.ErrorMessage(body), Is.EqualTo("""{"message":"\ud800"}"""));
    }

    [Test]
    public void Parse_PortNameNotUtf8_ThrowsJsonException()
    {
        byte[] raw = [.. Encoding.UTF8.GetBytes("{\"Id\":\"a\",\"NetworkSettings\":{\"Ports\":{\"8"), 0xB0, .. Encoding.UTF8.GetBytes("/tcp\":[]}}}")];

        Assert.Throws<JsonException>(() => ContainerInspection.Parse(raw));
    }
}
