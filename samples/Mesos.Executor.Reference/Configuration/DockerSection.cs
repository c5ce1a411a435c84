using System.Collections.Generic;

namespace Mesos.Executor.Reference.Configuration;

/// <summary><c>docker</c>: the Docker engine.</summary>
internal sealed class DockerSection
{
    /// <summary><c>docker.socket</c>: a path (unix socket) or a URI (unix://, tcp://, http://).</summary>
    public string? Socket { get; set; }

    /// <summary><c>docker.api_version</c>: e.g. 1.41; empty negotiates.</summary>
    public string? ApiVersion { get; set; }

    /// <summary><c>docker.pull_policy</c>: if_not_present, always or never.</summary>
    public string? PullPolicy { get; set; }

    /// <summary><c>docker.config</c>: the operator's Docker config file with registry credentials (as the agent's --docker_config).</summary>
    public string? Config { get; set; }

    /// <summary><c>docker.extra_labels</c>: labels put on every container.</summary>
    public Dictionary<string, string>? ExtraLabels { get; set; }
}
