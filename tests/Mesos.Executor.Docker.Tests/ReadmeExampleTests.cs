using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>The quickstart of src/Mesos.Executor.Docker/README.md, verbatim between the markers: keep them in sync.</summary>
[TestFixture]
public sealed class ReadmeExampleTests
{
    [Test]
    public async Task Quickstart_AgentFlags_BuildAnExecutorOnDocker()
    {
        var loggerFactory = NullLoggerFactory.Instance;

        // README begin
        var options = new DockerContainerizerOptions
        {
            Endpoint = new Uri("unix:///var/run/docker.sock"),              // --docker_socket
            ContainerName = "mesos-4f2d9a6e-0b7c-4e8d-9a51-3c6f1e2b7d90",     // --container
            SandboxDirectory = "/var/lib/mesos/slaves/S0/frameworks/F0/executors/E0/runs/R0", // --sandbox_directory
            TaskEnvironment = new Dictionary<string, string> { ["TEAM"] = "web" }, // --task_environment
            DefaultDns = new DefaultDnsSettings                                // --default_container_dns
            {
                Bridge = new DnsSettings { Nameservers = ["10.0.0.2"] },
            },
            CgroupsEnableCfs = true,                                           // --cgroups_enable_cfs
        };

        await using var containerizer = new DockerContainerizer(options, loggerFactory);
        MesosExecutorBuilder builder = MesosExecutor.CreateBuilder().UseContainerizer(containerizer);
        // README end

        Assert.That(builder, Is.Not.Null);
    }
}
