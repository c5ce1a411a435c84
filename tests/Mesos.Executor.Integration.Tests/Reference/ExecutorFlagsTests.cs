using System.Linq;
using Mesos.Executor.Reference.CommandLine;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class ExecutorFlagsTests
{
    [Test]
    public void Parse_AgentCommandLine_ReadsEveryDockerExecutorFlag()
    {
        // What Mesos's Docker containerizer passes (dockerFlags() stringified as --name=value).
        string[] args =
        [
            "--container=mesos-1234", "--docker=docker", "--docker_socket=/var/run/docker.sock",
            "--sandbox_directory=/var/lib/mesos/slaves/s/frameworks/f/executors/e/runs/r",
            "--mapped_directory=/mnt/mesos/sandbox", "--stop_timeout=0ns", "--launcher_dir=/usr/libexec/mesos",
            "--task_environment={\"A\":\"1\"}", "--default_container_dns={\"docker\":[]}", "--cgroups_enable_cfs=true",
            "--logging_level=INFO", "--logbufsecs=0", "--quiet=false", "--initialize_driver_logging=true",
            "--log_dir=/var/log/mesos",
        ];

        ExecutorFlags flags = ExecutorFlags.Parse(args);

        Assert.Multiple(() =>
        {
            Assert.That(flags.Errors, Is.Empty);
            Assert.That(flags.Warnings, Is.Empty);
            Assert.That(flags.Container, Is.EqualTo("mesos-1234"));
            Assert.That(flags.DockerSocket, Is.EqualTo("/var/run/docker.sock"));
            Assert.That(flags.SandboxDirectory, Is.EqualTo("/var/lib/mesos/slaves/s/frameworks/f/executors/e/runs/r"));
            Assert.That(flags.MappedDirectory, Is.EqualTo("/mnt/mesos/sandbox"));
            Assert.That(flags.StopTimeout, Is.EqualTo("0ns"));
            Assert.That(flags.TaskEnvironment, Is.EqualTo("{\"A\":\"1\"}"));
            Assert.That(flags.DefaultContainerDns, Is.EqualTo("{\"docker\":[]}"));
            Assert.That(flags.CgroupsEnableCfs, Is.True);
            Assert.That(flags.LoggingLevel, Is.EqualTo("INFO"));
            Assert.That(flags.Quiet, Is.False);
            Assert.That(flags.Ignored, Is.EquivalentTo(new[] { "docker", "launcher_dir", "logbufsecs", "initialize_driver_logging", "log_dir" }));
        });
    }

    [Test]
    public void Parse_SpaceSeparatedValues_ReadsThemLikeEqualsForm()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--container", "mesos-1", "--stop_timeout", "5secs", "--config", "/tmp/c.yaml"]);

        Assert.Multiple(() =>
        {
            Assert.That(flags.Errors, Is.Empty);
            Assert.That(flags.Container, Is.EqualTo("mesos-1"));
            Assert.That(flags.StopTimeout, Is.EqualTo("5secs"));
            Assert.That(flags.ConfigPath, Is.EqualTo("/tmp/c.yaml"));
        });
    }

    [TestCase(new[] { "--quiet" }, true)]
    [TestCase(new[] { "--no-quiet" }, false)]
    [TestCase(new[] { "--quiet=true" }, true)]
    [TestCase(new[] { "--quiet=false" }, false)]
    [TestCase(new[] { "--quiet", "false" }, false)]
    [TestCase(new[] { "--quiet", "true" }, true)]
    [TestCase(new[] { "--quiet=1" }, true)]
    [TestCase(new[] { "--quiet", "--no-quiet" }, false)]
    public void Parse_BooleanForms_AreAllAccepted(string[] args, bool expected)
    {
        ExecutorFlags flags = ExecutorFlags.Parse(args);

        Assert.Multiple(() =>
        {
            Assert.That(flags.Errors, Is.Empty);
            Assert.That(flags.Quiet, Is.EqualTo(expected));
        });
    }

    [Test]
    public void Parse_BareBooleanFollowedByAnotherFlag_IsTrueAndKeepsTheNextFlag()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--cgroups_enable_cfs", "--container=c"]);

        Assert.Multiple(() =>
        {
            Assert.That(flags.CgroupsEnableCfs, Is.True);
            Assert.That(flags.Container, Is.EqualTo("c"));
        });
    }

    [Test]
    public void Parse_UnknownFlags_AreIgnoredWithAWarningEach()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--future_flag=1", "--other", "value", "--container=c", "--bare_unknown"]);

        Assert.Multiple(() =>
        {
            Assert.That(flags.Errors, Is.Empty);
            Assert.That(flags.Container, Is.EqualTo("c"));
            Assert.That(flags.Warnings, Has.Count.EqualTo(3));
            Assert.That(flags.Warnings, Has.Some.Contains("--future_flag"));
            Assert.That(flags.Warnings, Has.Some.Contains("--other"));
            Assert.That(flags.Warnings, Has.Some.Contains("--bare_unknown"));
        });
    }

    [Test]
    public void Parse_MissingValue_IsAnErrorNamingTheFlag()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--container"]);

        Assert.That(flags.Errors, Has.One.Contains("--container"));
    }

    [Test]
    public void Parse_BadBoolean_IsAnErrorNamingTheFlag()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--cgroups_enable_cfs=maybe"]);

        Assert.That(flags.Errors, Has.One.Contains("--cgroups_enable_cfs").And.Contains("maybe"));
    }

    [Test]
    public void Parse_NegatedFlagWithValue_IsAnError()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--no-quiet=true"]);

        Assert.That(flags.Errors, Has.One.Contains("--no-quiet"));
    }

    [Test]
    public void Parse_RepeatedFlag_LastWinsWithAWarning()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--container=a", "--container=b"]);

        Assert.Multiple(() =>
        {
            Assert.That(flags.Container, Is.EqualTo("b"));
            Assert.That(flags.Warnings, Has.One.Contains("more than once"));
        });
    }

    [Test]
    public void Parse_ValueContainingEquals_KeepsEverythingAfterTheFirst()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["--task_environment={\"A\":\"x=y\"}"]);

        Assert.That(flags.TaskEnvironment, Is.EqualTo("{\"A\":\"x=y\"}"));
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public void Parse_Help_IsRecognised(string arg)
    {
        Assert.That(ExecutorFlags.Parse([arg]).Help, Is.True);
    }

    [Test]
    public void Usage_ListsEveryFlag()
    {
        string usage = ExecutorFlags.Usage();

        var missing = ExecutorFlags.Definitions.Where(d => !usage.Contains("--" + d.Name, System.StringComparison.Ordinal)
            && !usage.Contains("--[no-]" + d.Name, System.StringComparison.Ordinal)).Select(d => d.Name).ToList();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Parse_PositionalArgument_IsWarnedAbout()
    {
        ExecutorFlags flags = ExecutorFlags.Parse(["stray"]);

        Assert.That(flags.Warnings, Has.One.Contains("stray"));
    }
}
