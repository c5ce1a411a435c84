using System;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Hooks.Internal;
using NUnit.Framework;

namespace Mesos.Executor.Hooks.Tests.Internal;

[TestFixture]
public sealed class ProcessCommandRunnerTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_ArgumentsWithShellCharacters_ArePassedVerbatim(CancellationToken cancellationToken)
    {
        CommandResult result = await ProcessCommandRunner.Instance.RunAsync("printf", ["%s|%s", "a b; $(rm -rf /)", "'\"*"], cancellationToken);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.StandardOutput, Is.EqualTo("a b; $(rm -rf /)|'\"*"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_FailingCommand_CapturesExitCodeAndStandardError(CancellationToken cancellationToken)
    {
        CommandResult result = await ProcessCommandRunner.Instance.RunAsync("ls", ["/definitely/not/here"], cancellationToken);

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StandardError, Does.Contain("/definitely/not/here"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunAsync_MissingProgram_Returns127(CancellationToken cancellationToken)
    {
        CommandResult result = await ProcessCommandRunner.Instance.RunAsync("no-such-program-mesos-executor", [], cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(CommandResult.NotStartedExitCode));
        Assert.That(result.StandardError, Does.Contain("cannot run no-such-program-mesos-executor"));
    }

    [Test]
    [CancelAfter(10_000)]
    public void RunAsync_Cancelled_KillsTheProgramAndThrows(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        Assert.That(() => ProcessCommandRunner.Instance.RunAsync("sleep", ["30"], cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
