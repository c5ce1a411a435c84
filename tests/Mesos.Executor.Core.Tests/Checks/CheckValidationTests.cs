using System.Collections.Generic;
using Mesos.Executor.Core.Checks;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Checks;

[TestFixture]
public sealed class CheckValidationTests
{
    private static HealthCheck Http(HealthCheck.Types.HTTPCheckInfo http) => new() { Type = HealthCheck.Types.Type.Http, Http = http };

    private static IEnumerable<TestCaseData> InvalidHealthChecks()
    {
        yield return new TestCaseData(new HealthCheck(), "health_check.type is required").SetName("HealthCheck_NoType");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Unknown }, "health_check.type Unknown is not a valid").SetName("HealthCheck_Unknown");
        yield return new TestCaseData(new HealthCheck { Type = (HealthCheck.Types.Type)42 }, "health_check.type 42 is not a valid").SetName("HealthCheck_UnknownNumber");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Command }, "health_check.command is required").SetName("Command_Missing");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Command, Command = new CommandInfo() }, "health_check.command.value is required (the shell command)").SetName("Command_NoValue");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Command, Command = new CommandInfo { Shell = false } }, "health_check.command.value is required (the executable path)").SetName("Command_NoExecutable");
        yield return new TestCaseData(
            new HealthCheck
            {
                Type = HealthCheck.Types.Type.Command,
                Command = new CommandInfo { Value = "true", Environment = new Environment { Variables = { new Environment.Types.Variable { Name = "A" } } } },
            },
            "health_check.command.environment.variables[0].value is required").SetName("Command_VariableWithoutValue");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Http }, "health_check.http is required").SetName("Http_Missing");
        yield return new TestCaseData(Http(new() { Port = 80, Scheme = "ftp" }), "health_check.http.scheme must be 'http' or 'https', not 'ftp'").SetName("Http_BadScheme");
        yield return new TestCaseData(Http(new() { Port = 80, Path = "health" }), "health_check.http.path must start with '/'").SetName("Http_RelativePath");
        yield return new TestCaseData(Http(new() { Port = 80, Path = "" }), "health_check.http.path must start with '/'").SetName("Http_EmptyPath");
        yield return new TestCaseData(Http(new() { Port = 70000 }), "health_check.http.port must be between 1 and 65535").SetName("Http_PortTooLarge");
        yield return new TestCaseData(Http(new() { Port = 0 }), "health_check.http.port must be between 1 and 65535").SetName("Http_PortZero");
        yield return new TestCaseData(Http(new()), "health_check.http.port is required").SetName("Http_NoPort");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Tcp }, "health_check.tcp is required").SetName("Tcp_Missing");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = new() { Port = 65536 } }, "health_check.tcp.port must be between 1 and 65535").SetName("Tcp_PortTooLarge");
        var tcp = new HealthCheck.Types.TCPCheckInfo { Port = 80 };
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = tcp, DelaySeconds = -1 }, "health_check.delay_seconds must be a non-negative").SetName("Delay_Negative");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = tcp, IntervalSeconds = -0.5 }, "health_check.interval_seconds must be a non-negative").SetName("Interval_Negative");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = tcp, TimeoutSeconds = double.NaN }, "health_check.timeout_seconds must be a non-negative").SetName("Timeout_NaN");
        yield return new TestCaseData(new HealthCheck { Type = HealthCheck.Types.Type.Tcp, Tcp = tcp, GracePeriodSeconds = double.PositiveInfinity }, "health_check.grace_period_seconds must be a non-negative").SetName("Grace_Infinite");
    }

    private static IEnumerable<TestCaseData> InvalidChecks()
    {
        yield return new TestCaseData(new CheckInfo(), "check.type is required").SetName("Check_NoType");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Unknown }, "check.type Unknown is not a valid check type").SetName("Check_Unknown");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Command }, "check.command is required").SetName("Check_CommandMissing");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Command, Command = new() }, "check.command.command is required").SetName("Check_CommandInfoMissing");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Command, Command = new() { Command_ = new() } }, "check.command.command.value is required").SetName("Check_CommandNoValue");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Http }, "check.http is required").SetName("Check_HttpMissing");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Http, Http = new() { Port = 80, Path = "a/b" } }, "check.http.path must start with '/'").SetName("Check_HttpRelativePath");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Tcp }, "check.tcp is required").SetName("Check_TcpMissing");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Tcp, Tcp = new() { Port = 0 } }, "check.tcp.port must be between 1 and 65535").SetName("Check_TcpPortZero");
        yield return new TestCaseData(new CheckInfo { Type = CheckInfo.Types.Type.Tcp, Tcp = new() { Port = 1 }, TimeoutSeconds = -1 }, "check.timeout_seconds must be a non-negative").SetName("Check_TimeoutNegative");
    }

    [TestCaseSource(nameof(InvalidHealthChecks))]
    public void Validate_InvalidHealthCheck_NamesTheField(HealthCheck healthCheck, string expected)
    {
        string? error = CheckValidation.Validate(new TaskInfo { HealthCheck = healthCheck });

        Assert.That(error, Does.StartWith(expected));
    }

    [TestCaseSource(nameof(InvalidChecks))]
    public void Validate_InvalidCheck_NamesTheField(CheckInfo check, string expected)
    {
        string? error = CheckValidation.Validate(new TaskInfo { Check = check });

        Assert.That(error, Does.StartWith(expected));
    }

    [Test]
    public void Validate_ValidDefinitions_ReturnsNull()
    {
        var task = new TaskInfo
        {
            HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = 443, Scheme = "https", Path = "/health" },
                DelaySeconds = 0,
                TimeoutSeconds = 0,
                GracePeriodSeconds = 0,
            },
            Check = new CheckInfo
            {
                Type = CheckInfo.Types.Type.Command,
                Command = new CheckInfo.Types.Command
                {
                    Command_ = new CommandInfo
                    {
                        Shell = false,
                        Value = "/bin/true",
                        Environment = new Environment { Variables = { new Environment.Types.Variable { Name = "A", Value = "" } } },
                    },
                },
            },
        };

        Assert.That(CheckValidation.Validate(task), Is.Null);
        Assert.That(CheckValidation.Validate(new TaskInfo()), Is.Null);
    }

    [Test]
    public void Validate_BothInvalid_ReportsTheHealthCheckFirst()
    {
        var task = new TaskInfo { HealthCheck = new HealthCheck(), Check = new CheckInfo() };

        Assert.That(CheckValidation.Validate(task), Does.StartWith("health_check."));
    }
}
