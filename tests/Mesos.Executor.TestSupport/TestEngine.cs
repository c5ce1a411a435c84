namespace Mesos.Executor.TestSupport;

/// <summary>The container engines the integration suites run against (the fixtures take one as their parameter).</summary>
public enum TestEngine
{
    /// <summary>The Docker engine (build/ensure-docker.sh).</summary>
    Docker,

    /// <summary>Podman's Docker-compatible service, <c>podman system service</c> (build/ensure-podman.sh).</summary>
    Podman,
}
