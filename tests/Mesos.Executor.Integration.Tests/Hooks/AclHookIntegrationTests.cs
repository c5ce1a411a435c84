using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Docker;
using Mesos.Executor.Hooks;
using Mesos.Executor.Testing;
using Mesos.Executor.TestSupport;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Hooks;

/// <summary>
/// The acl hook against real traffic: an httpd container whose ACL allows one client container;
/// a second client is dropped, the host (through the bridge gateway) and a loopback health probe
/// inside the container still get through, and teardown leaves no rule behind.
/// </summary>
[TestFixture]
[Category("Docker")]
[Category("Privileged")]
public sealed class AclHookIntegrationTests
{
    private DockerContainerizer? _containerizer;

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_containerizer is not null)
        {
            await _containerizer.DisposeAsync();
        }

        await DockerTestEnvironment.CleanupAsync();
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task AclHook_OneAllowedSource_AllowsItDropsOthersAndTearsDownCleanly(CancellationToken cancellationToken)
    {
        await HookHost.RequireAsync(cancellationToken);
        _containerizer = HookHost.CreateContainerizer();
        HookContext allowed = await HookHost.StartAsync(_containerizer, HookHost.Task("acl-allowed", $"httpd -f -p {HookHost.HttpPort} -h /var/www"), cancellationToken);
        HookContext denied = await HookHost.StartAsync(_containerizer, HookHost.Task("acl-denied", $"httpd -f -p {HookHost.HttpPort} -h /var/www"), cancellationToken);
        HookContext server = await HookHost.StartAsync(
            _containerizer,
            HookHost.Task("acl-server", $"httpd -f -p {HookHost.HttpPort} -h /var/www", ("EXECUTOR_ALLOWED_IP", $"{allowed.Container!.IPAddresses[0]},192.0.2.0/24")),
            cancellationToken);
        ContainerDetails details = server.Container!;
        await HookHost.WaitForHttpAsync(details, cancellationToken);
        Assert.That((await HookHost.FetchFromAsync(_containerizer, denied, details, cancellationToken)).ExitCode, Is.Zero, "before the ACL everybody connects");
        var hook = new AclHook();

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PostRun, server, cancellationToken);

        string rules = await HookHost.SaveRulesAsync(details.Pid, cancellationToken);
        Assert.That(rules, Does.Contain($"-s {allowed.Container.IPAddresses[0]}/32").And.Contain("-j DROP").And.Contain("mesos-executor:acl-server-"));
        Assert.That((await HookHost.FetchFromAsync(_containerizer, allowed, details, cancellationToken)).ExitCode, Is.Zero, "the allowed source connects");
        Assert.That((await HookHost.FetchFromAsync(_containerizer, denied, details, cancellationToken)).ExitCode, Is.Not.Zero, "another source is dropped");
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) })
        {
            string body = await http.GetStringAsync($"http://{details.IPAddresses[0]}:{HookHost.HttpPort}/", cancellationToken);
            Assert.That(body.Trim(), Is.EqualTo("ok"), "the host reaches the container through the gateway");
        }

        ProbeResult probe = await new NativeHealthCheck().ProbeAsync(
            new ProbeRequest { Kind = ProbeKind.Http, Container = details, Containerizer = _containerizer, Port = HookHost.HttpPort, Timeout = TimeSpan.FromSeconds(5) },
            cancellationToken);
        Assert.That(probe.Succeeded, Is.True, $"health probe on 127.0.0.1 inside the namespace: {probe.Message}");
        Assert.That(
            (await HookHost.FetchFromAsync(_containerizer, server, denied.Container!, cancellationToken)).ExitCode,
            Is.Zero,
            "the container's own outbound connections work (their answers are established traffic)");

        await HookTestHarness.RunPhaseAsync(hook, HookPhase.PreStop, server, cancellationToken);

        rules = await HookHost.SaveRulesAsync(details.Pid, cancellationToken);
        Assert.That(rules, Does.Not.Contain("mesos-executor").And.Not.Contain("-j DROP").And.Not.Contain("-A INPUT"));
        Assert.That((await HookHost.FetchFromAsync(_containerizer, denied, details, cancellationToken)).ExitCode, Is.Zero, "after teardown everybody connects again");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AclHook_InvalidEntry_FailsAndAddsNoRule(CancellationToken cancellationToken)
    {
        await HookHost.RequireAsync(cancellationToken);
        _containerizer = HookHost.CreateContainerizer();
        HookContext server = await HookHost.StartAsync(
            _containerizer,
            HookHost.Task("acl-invalid", "sleep 120", ("EXECUTOR_ALLOWED_IP", "10.0.0.1,10.0.0.0/40")),
            cancellationToken);

        var ex = await Assert.ThrowsAsync<HookFailedException>(() => HookTestHarness.RunPhaseAsync(new AclHook(), HookPhase.PostRun, server, cancellationToken));

        Assert.That(ex!.Message, Does.Contain("'10.0.0.0/40'"));
        Assert.That(await HookHost.SaveRulesAsync(server.Container!.Pid, cancellationToken), Does.Not.Contain("-A INPUT"));
    }
}
