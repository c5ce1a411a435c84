using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary><see cref="EngineErrors"/>: what each kind of engine failure becomes at the package's boundary.</summary>
[TestFixture]
public sealed class EngineErrorsTests
{
    private static readonly Uri Endpoint = new("unix:///var/run/docker.sock");

    [Test]
    public void Translate_EngineErrorAnswer_IsAMessageWithTheStatusAndNoEngineType()
    {
        var translated = EngineErrors.Translate(new DockerRequestException(HttpStatusCode.Conflict, "container is paused"), "stopping container abc", Endpoint);

        Assert.That(translated.Message, Is.EqualTo("stopping container abc failed: container is paused (HTTP 409)"));
        Assert.That(translated.InnerException, Is.Null, "no engine type leaves the package");
    }

    [Test]
    public void Translate_BrokenConnection_NamesTheEngineAndKeepsTheCause()
    {
        Exception[] causes = [new HttpRequestException("refused"), new SocketException((int)SocketError.ConnectionRefused), new IOException("reset")];
        foreach (Exception cause in causes)
        {
            var translated = EngineErrors.Translate(cause, "starting container abc", Endpoint);

            Assert.That(translated.Message, Does.StartWith("starting container abc failed: cannot talk to the Docker engine at unix:///var/run/docker.sock: "));
            Assert.That(translated.InnerException, Is.SameAs(cause));
        }
    }

    [Test]
    public void Translate_UnreadableAnswer_SaysSo()
    {
        var cause = new JsonException("'<' is an invalid start of a value");

        var translated = EngineErrors.Translate(cause, "inspecting container abc", Endpoint);

        Assert.That(translated.Message, Is.EqualTo("inspecting container abc failed: unexpected answer from the Docker engine: '<' is an invalid start of a value"));
        Assert.That(translated.InnerException, Is.SameAs(cause));
    }

    [Test]
    public void Translate_AnythingElse_KeepsItsMessageAndCause()
    {
        var cause = new InvalidOperationException("odd");

        var translated = EngineErrors.Translate(cause, "pulling image 'x'", Endpoint);

        Assert.That(translated, Is.TypeOf<ContainerizerException>());
        Assert.That(translated.Message, Is.EqualTo("pulling image 'x' failed: odd"));
        Assert.That(translated.InnerException, Is.SameAs(cause));
    }
}
