using Mesos.Executor.Core.Checks;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Checks;

[TestFixture]
public sealed class CheckStatusesTests
{
    [Test]
    public void Empty_Command_HasTypeAndEmptySubMessage()
    {
        var status = CheckStatuses.Empty(new CheckInfo { Type = CheckInfo.Types.Type.Command });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.HasType, Is.True);
            Assert.That(status.Type, Is.EqualTo(CheckInfo.Types.Type.Command));
            Assert.That(status.Command, Is.Not.Null);
            Assert.That(status.Command.HasExitCode, Is.False);
            Assert.That(status.Http, Is.Null);
            Assert.That(status.Tcp, Is.Null);
        }
    }

    [Test]
    public void Empty_Http_HasEmptyHttp()
    {
        var status = CheckStatuses.Empty(new CheckInfo { Type = CheckInfo.Types.Type.Http });

        Assert.That(status.Http, Is.Not.Null);
        Assert.That(status.Http.HasStatusCode, Is.False);
        Assert.That(status.Command, Is.Null);
    }

    [Test]
    public void Empty_Tcp_HasEmptyTcp()
    {
        var status = CheckStatuses.Empty(new CheckInfo { Type = CheckInfo.Types.Type.Tcp });

        Assert.That(status.Tcp, Is.Not.Null);
        Assert.That(status.Tcp.HasSucceeded, Is.False);
    }

    [Test]
    public void FromProbe_Results_MapAsMesosReportsThem()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Command, new ProbeResult { Succeeded = false, ExitCode = 7 }).Command.ExitCode, Is.EqualTo(7));
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Http, new ProbeResult { Succeeded = false, StatusCode = 404 }).Http.StatusCode, Is.EqualTo(404u));
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Tcp, new ProbeResult { Succeeded = true }).Tcp.Succeeded, Is.True);
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Tcp, new ProbeResult { Succeeded = false }).Tcp.HasSucceeded, Is.True);
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Tcp, new ProbeResult { Succeeded = false, TimedOut = true }).Tcp.HasSucceeded, Is.False);
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Command, new ProbeResult { Succeeded = false, ExitCode = 137, TimedOut = true }).Command.HasExitCode, Is.False);
            Assert.That(CheckStatuses.FromProbe(CheckInfo.Types.Type.Http, new ProbeResult { Succeeded = false, Message = "refused" }).Http.HasStatusCode, Is.False);
        }
    }

    [Test]
    public void AreEqual_ZeroVersusAbsent_Differ()
    {
        var empty = CheckStatuses.Empty(CheckInfo.Types.Type.Command);
        var zero = CheckStatuses.FromProbe(CheckInfo.Types.Type.Command, new ProbeResult { Succeeded = true, ExitCode = 0 });
        var tcpFalse = CheckStatuses.FromProbe(CheckInfo.Types.Type.Tcp, new ProbeResult { Succeeded = false });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CheckStatuses.AreEqual(empty, zero), Is.False);
            Assert.That(CheckStatuses.AreEqual(zero, zero.Clone()), Is.True);
            Assert.That(CheckStatuses.AreEqual(empty, CheckStatuses.Empty(CheckInfo.Types.Type.Command)), Is.True);
            Assert.That(CheckStatuses.AreEqual(tcpFalse, CheckStatuses.Empty(CheckInfo.Types.Type.Tcp)), Is.False);
            Assert.That(CheckStatuses.AreEqual(empty, CheckStatuses.Empty(CheckInfo.Types.Type.Http)), Is.False);
        }
    }
}
