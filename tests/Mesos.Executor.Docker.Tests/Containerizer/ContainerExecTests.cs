using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.Executor.Docker.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.Containerizer;

/// <summary>
/// <see cref="ContainerExec"/>'s request to the engine. Running commands, their exit codes, timeouts
/// and cancellation against a real engine are in <see cref="DockerContainerizerTests"/>.
/// </summary>
[TestFixture]
public sealed class ContainerExecTests
{
    [Test]
    public void Parameters_Request_AttachesOutputWithUserAndEnvironment()
    {
        var request = new ExecRequest { Arguments = ["sh", "-c", "exit 3"], Environment = new Dictionary<string, string> { ["A"] = "1" }, User = "nobody" };

        var parameters = ContainerExec.Parameters(request);

        Assert.That(parameters.Cmd, Is.EqualTo(new[] { "sh", "-c", "exit 3" }));
        Assert.That(parameters.Env, Is.EqualTo(new[] { "A=1" }));
        Assert.That(parameters.User, Is.EqualTo("nobody"));
        Assert.That((parameters.AttachStdout, parameters.AttachStderr), Is.EqualTo((true, true)));
    }

    [Test]
    public void Parameters_NoUserNoEnvironment_LeavesTheContainersDefaults()
    {
        var parameters = ContainerExec.Parameters(new ExecRequest { Arguments = ["true"] });

        Assert.That(parameters.User, Is.Empty);
        Assert.That(parameters.Env, Is.Null);
    }
}
