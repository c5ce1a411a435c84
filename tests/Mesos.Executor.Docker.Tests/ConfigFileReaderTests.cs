using System;
using System.IO;
using System.Text;
using Mesos.Executor.Docker.Internal.Registry;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>The sandbox's config files are the task's input: never followed through links, never read beyond 1 MiB.</summary>
[TestFixture]
public sealed class ConfigFileReaderTests
{
    private string _sandbox = null!;

    [SetUp]
    public void SetUp()
    {
        _sandbox = Path.Combine(Path.GetTempPath(), "mesos-executor-reader-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_sandbox);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_sandbox, recursive: true);

    [Test]
    public void ReadInside_RegularFile_ReadsIt()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox, ".docker"));
        File.WriteAllText(Path.Combine(_sandbox, ".docker", "config.json"), "{}");

        Assert.That(ConfigFileReader.ReadInside(_sandbox, ".docker", "config.json"), Is.EqualTo(Encoding.UTF8.GetBytes("{}")));
    }

    [Test]
    public void ReadInside_Missing_IsNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ConfigFileReader.ReadInside(_sandbox, ".docker", "config.json"), Is.Null);
            Assert.That(ConfigFileReader.ReadInside(_sandbox, ".dockercfg"), Is.Null);
            Assert.That(ConfigFileReader.ReadInside(Path.Combine(_sandbox, "absent"), ".dockercfg"), Is.Null);
        });
    }

    [Test]
    public void ReadInside_FileIsASymlink_IsRefused()
    {
        string secret = Path.Combine(_sandbox, "host-secret.json");
        File.WriteAllText(secret, "{}");
        File.CreateSymbolicLink(Path.Combine(_sandbox, ".dockercfg"), secret);

        Assert.That(() => ConfigFileReader.ReadInside(_sandbox, ".dockercfg"),
            Throws.TypeOf<IOException>().With.Message.Contains("'.dockercfg' is a symbolic link, which is never followed"));
    }

    [Test]
    public void ReadInside_DirectoryIsASymlink_IsRefused()
    {
        string elsewhere = Path.Combine(_sandbox, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "config.json"), "{}");
        Directory.CreateSymbolicLink(Path.Combine(_sandbox, ".docker"), elsewhere);

        Assert.That(() => ConfigFileReader.ReadInside(_sandbox, ".docker", "config.json"),
            Throws.TypeOf<IOException>().With.Message.Contains("'.docker' is a symbolic link"));
    }

    [Test]
    public void ReadInside_LargerThanOneMebibyte_IsRefused()
    {
        File.WriteAllBytes(Path.Combine(_sandbox, ".dockercfg"), new byte[ConfigFileReader.MaxBytes + 1]);

        Assert.That(() => ConfigFileReader.ReadInside(_sandbox, ".dockercfg"),
            Throws.TypeOf<IOException>().With.Message.Contains("larger than 1 MiB"));
    }

    [Test]
    public void ReadInside_ExactlyOneMebibyte_IsRead()
    {
        File.WriteAllBytes(Path.Combine(_sandbox, ".dockercfg"), new byte[ConfigFileReader.MaxBytes]);

        Assert.That(ConfigFileReader.ReadInside(_sandbox, ".dockercfg"), Has.Length.EqualTo(ConfigFileReader.MaxBytes));
    }

    [Test]
    public void ReadInside_Directory_FailsClearly()
    {
        Directory.CreateDirectory(Path.Combine(_sandbox, ".dockercfg"));

        Assert.That(() => ConfigFileReader.ReadInside(_sandbox, ".dockercfg"), Throws.TypeOf<IOException>().With.Message.Contains(".dockercfg"));
    }

    [Test]
    public void ReadOperatorFile_FollowsLinks_AndMissingIsNull()
    {
        string target = Path.Combine(_sandbox, "operator.json");
        File.WriteAllText(target, "{}");
        string link = Path.Combine(_sandbox, "link.json");
        File.CreateSymbolicLink(link, target);

        Assert.Multiple(() =>
        {
            Assert.That(ConfigFileReader.ReadOperatorFile(link), Is.EqualTo(Encoding.UTF8.GetBytes("{}")));
            Assert.That(ConfigFileReader.ReadOperatorFile(Path.Combine(_sandbox, "absent.json")), Is.Null);
        });
    }

    [Test]
    public void ReadNamedByTask_RegularFile_AbsoluteOrRelativeToTheWorkingDirectory_FollowsLinks()
    {
        string profile = Path.Combine(_sandbox, "seccomp.json");
        File.WriteAllText(profile, "{}");
        string link = Path.Combine(_sandbox, "link.json");
        File.CreateSymbolicLink(link, profile);

        Assert.Multiple(() =>
        {
            Assert.That(ConfigFileReader.ReadNamedByTask(profile), Is.EqualTo(Encoding.UTF8.GetBytes("{}")));
            Assert.That(ConfigFileReader.ReadNamedByTask(Path.GetRelativePath(Environment.CurrentDirectory, profile)), Is.EqualTo(Encoding.UTF8.GetBytes("{}")));
            Assert.That(ConfigFileReader.ReadNamedByTask(link), Is.EqualTo(Encoding.UTF8.GetBytes("{}")));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public void ReadNamedByTask_FifoWithoutWriter_IsRefusedAtOnce()
    {
        string fifo = Path.Combine(_sandbox, "profile.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.That(mkfifo.ExitCode, Is.Zero);
        }

        Assert.That(() => ConfigFileReader.ReadNamedByTask(fifo), Throws.TypeOf<IOException>().With.Message.Contains("not a regular file"));
    }

    [Test]
    public void ReadNamedByTask_EndlessDevice_IsRefusedAfterOneMebibyte()
    {
        Assert.That(() => ConfigFileReader.ReadNamedByTask("/dev/zero"), Throws.TypeOf<IOException>().With.Message.Contains("larger than 1 MiB"));
    }

    [Test]
    public void ReadNamedByTask_MissingOrDirectory_FailsNamingThePath()
    {
        string missing = Path.Combine(_sandbox, "absent.json");

        Assert.Multiple(() =>
        {
            Assert.That(() => ConfigFileReader.ReadNamedByTask(missing), Throws.TypeOf<IOException>().With.Message.Contains(missing));
            Assert.That(() => ConfigFileReader.ReadNamedByTask(_sandbox), Throws.TypeOf<IOException>().With.Message.Contains(_sandbox));
        });
    }
}
