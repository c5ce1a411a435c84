using Mesos.Executor.Docker.Internal.Registry;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>Which registry an image comes from, and which config file keys name it (the Docker CLI's rules).</summary>
[TestFixture]
public sealed class RegistryAddressTests
{
    [TestCase("busybox", "docker.io")]
    [TestCase("busybox:1", "docker.io")]
    [TestCase("library/busybox:1", "docker.io")]
    [TestCase("mesosphere/inky@sha256:0123", "docker.io")]
    [TestCase("docker.io/library/busybox", "docker.io")]
    [TestCase("index.docker.io/library/busybox", "docker.io")]
    [TestCase("registry.example.com/team/app:2", "registry.example.com")]
    [TestCase("127.0.0.1:5124/mesos-executor-test/busybox:1", "127.0.0.1:5124")]
    [TestCase("localhost/app", "localhost")]
    [TestCase("localhost:5000/app", "localhost:5000")]
    [TestCase("Registry/app", "Registry")]
    public void Of_Image_IsItsRegistry(string image, string registry) =>
        Assert.That(RegistryAddress.Of(image), Is.EqualTo(registry));

    [TestCase("https://index.docker.io/v1/", "docker.io")]
    [TestCase("index.docker.io", "docker.io")]
    [TestCase("docker.io", "docker.io")]
    [TestCase("https://registry-1.docker.io/v2/", "docker.io")]
    [TestCase("127.0.0.1:5124", "127.0.0.1:5124")]
    [TestCase("http://127.0.0.1:5124", "127.0.0.1:5124")]
    [TestCase("https://127.0.0.1:5124/v2/", "127.0.0.1:5124")]
    [TestCase("https://registry.example.com/v1/", "registry.example.com")]
    [TestCase(" HTTPS://Registry.Example.com ", "registry.example.com")]
    public void Normalize_Key_IsTheRegistryItNames(string key, string registry) =>
        Assert.That(RegistryAddress.Normalize(key), Is.EqualTo(registry));

    [TestCase("https://127.0.0.1:5124/v1/", "127.0.0.1:5124", true)]
    [TestCase("127.0.0.1:5124", "127.0.0.1:5124", true)]
    [TestCase("127.0.0.1:5125", "127.0.0.1:5124", false)]
    [TestCase("127.0.0.1", "127.0.0.1:5124", false)]
    [TestCase("registry.example.com.evil.org", "registry.example.com", false)]
    [TestCase("https://index.docker.io/v1/", "docker.io", true)]
    public void Matches_KeyAndRegistry(string key, string registry, bool matches) =>
        Assert.That(RegistryAddress.Matches(key, registry), Is.EqualTo(matches));

    [Test]
    public void ServerAddress_DockerHub_IsTheCliKey()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RegistryAddress.ServerAddress("docker.io"), Is.EqualTo("https://index.docker.io/v1/"));
            Assert.That(RegistryAddress.ServerAddress("127.0.0.1:5124"), Is.EqualTo("127.0.0.1:5124"));
        });
    }
}
