namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>The two layouts of a Docker client config file.</summary>
internal enum DockerConfigFormat
{
    /// <summary><c>.docker/config.json</c>: credentials under <c>auths</c>, plus <c>credsStore</c> / <c>credHelpers</c>.</summary>
    ConfigJson,

    /// <summary>The legacy <c>.dockercfg</c>: the credentials map itself, registry → <c>{auth, email}</c>.</summary>
    Legacy,

    /// <summary>Either, decided by the presence of <c>auths</c> (as Mesos does with its <c>--docker_config</c>).</summary>
    Detect,
}
