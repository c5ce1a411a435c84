using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>
/// Finds the credentials for pulling an image the way the Mesos agent lets the Docker CLI find
/// them (<c>Docker::pull</c> in Mesos's <c>src/docker/docker.cpp</c>; docs/docker-containerizer.md,
/// "Private Docker repository"): with <c>HOME</c> set to the sandbox, the CLI reads the sandbox's
/// <c>.docker/config.json</c>, else its legacy <c>.dockercfg</c> (both fetched as task URIs); only
/// when the sandbox has neither does the operator's config file (the agent's <c>--docker_config</c>)
/// apply. Credential helpers (<c>credsStore</c>, <c>credHelpers</c>) are programs the CLI runs; the
/// executor runs no program a task names, so it warns once per helper and pulls anonymously.
/// </summary>
internal sealed class RegistryCredentialResolver
{
    private readonly string? _operatorConfigPath;
    private readonly ILogger _logger;
    private readonly HashSet<string> _warnedHelpers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RegistryCredentialResolver(string? operatorConfigPath, ILogger logger)
    {
        _operatorConfigPath = operatorConfigPath;
        _logger = logger;
    }

    /// <summary>The credentials for pulling <paramref name="image"/> for a task whose sandbox is <paramref name="sandbox"/>.</summary>
    /// <exception cref="InvalidDataException">The config file that applies is malformed.</exception>
    /// <exception cref="IOException">The config file that applies cannot be read (or is a link, or too large).</exception>
    public PullCredentials Resolve(string image, string? sandbox)
    {
        string registry = RegistryAddress.Of(image);
        DockerConfigFile? file = Load(sandbox);
        if (file == null)
        {
            return new PullCredentials(registry, null, null, null);
        }

        RegistryLookup lookup = file.Find(registry);
        if (lookup.Helper is { } helper)
        {
            bool first;
            lock (_lock)
            {
                first = _warnedHelpers.Add(helper);
            }

            if (first)
            {
                Log.CredentialHelperUnsupported(_logger, file.Source, helper, registry);
            }
        }

        return new PullCredentials(registry, lookup.Credential, file.Source, lookup.Key);
    }

    private DockerConfigFile? Load(string? sandbox)
    {
        if (sandbox != null)
        {
            if (ConfigFileReader.ReadInside(sandbox, ".docker", "config.json") is { } config)
            {
                return DockerConfigFile.Parse(config, Path.Join(sandbox, ".docker/config.json"), DockerConfigFormat.ConfigJson);
            }

            if (ConfigFileReader.ReadInside(sandbox, ".dockercfg") is { } legacy)
            {
                return DockerConfigFile.Parse(legacy, Path.Join(sandbox, ".dockercfg"), DockerConfigFormat.Legacy);
            }
        }

        if (_operatorConfigPath == null)
        {
            return null;
        }

        byte[] operatorConfig = ConfigFileReader.ReadOperatorFile(_operatorConfigPath)
            ?? throw new IOException($"the Docker config file {_operatorConfigPath} (DockerConfigPath) does not exist");
        return DockerConfigFile.Parse(operatorConfig, _operatorConfigPath, DockerConfigFormat.Detect);
    }
}
