using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Mesos.Executor.Docker.Internal.Registry;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// Docker registry config files as a task's sandbox brings them (<c>.docker/config.json</c>,
/// <c>.dockercfg</c>) or the operator names them: the first byte picks the layout (config.json,
/// legacy, detect), the rest is the file (<see cref="DockerConfigFile.Parse"/>), then the
/// credentials of a few registries (<see cref="DockerConfigFile.Find"/>) and their header value.
/// </summary>
public sealed class RegistryConfigTarget : FuzzTarget
{
    private static readonly string[] Registries = [RegistryAddress.DockerHub, "registry.example.com:5000", "127.0.0.1:5123", "localhost", "Upper.Example"];

    /// <inheritdoc />
    public override string Name => "registry-config";

    /// <inheritdoc />
    public override string Description => "registry config files (.docker/config.json, .dockercfg)";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var format = (DockerConfigFormat)(data[0] % 3);
        DockerConfigFile file = DockerConfigFile.Parse(data[1..], "/sandbox/.docker/config.json", format);
        foreach (string registry in Registries)
        {
            try
            {
                RegistryLookup lookup = file.Find(registry);
                _ = lookup.Credential?.ToHeaderValue();
                _ = lookup.Credential?.ToString();
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is InvalidDataException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // The files of DockerConfigFileTests.
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pa:ss"));
        (string Name, DockerConfigFormat Format, string Json)[] files =
        [
            ("auths", DockerConfigFormat.ConfigJson, $$"""{"auths":{"registry.example.com:5000":{"auth":"{{auth}}","email":"a@example.com"} } }"""),
            ("url-key", DockerConfigFormat.ConfigJson, """{"auths":{"https://registry.example.com:5000/v2/":{"username":"bob","password":"secret"} } }"""),
            ("token", DockerConfigFormat.ConfigJson, """{"auths":{"https://index.docker.io/v1/":{"auth":"","identitytoken":"tok-123"}}}"""),
            ("legacy", DockerConfigFormat.Legacy, $$"""{"registry.example.com:5000":{"auth":"{{auth}}","email":"x@example.com"} }"""),
            ("detect", DockerConfigFormat.Detect, $$"""{"127.0.0.1:5123":{"auth":"{{auth}}"} }"""),
            ("helpers", DockerConfigFormat.ConfigJson, $$"""{"auths":{"127.0.0.1:5123":{"auth":"{{auth}}"}, "localhost":{} },"credsStore":"desktop","credHelpers":{"Upper.Example":"ecr-login"} }"""),
            ("bad-auth", DockerConfigFormat.ConfigJson, """{"auths":{"docker.io":{"auth":"not*base64!"},"localhost":{"auth":"bm9jb2xvbg=="}, /* comment */ } }"""),
            ("cut", DockerConfigFormat.ConfigJson, """{"auths": {"r": {"auth": "c2VjcmV0OnNlY3JldA=="} """),
            ("auths-array", DockerConfigFormat.Detect, """{"auths":[]}"""),
        ];
        foreach (var (name, format, json) in files)
        {
            yield return (name, [(byte)format, .. Encoding.UTF8.GetBytes(json)]);
        }
    }
}
