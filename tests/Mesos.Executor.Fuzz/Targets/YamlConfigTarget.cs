using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Mesos.Executor.Core;
using Mesos.Executor.Reference.CommandLine;
using Mesos.Executor.Reference.Configuration;

namespace Mesos.Executor.Fuzz.Targets;

/// <summary>
/// The reference executor's YAML configuration: the input is the file given by <c>--config</c>,
/// read by <see cref="ConfigLoader.Load"/> (YAML parsing, then every key resolved and validated).
/// </summary>
public sealed class YamlConfigTarget : FuzzTarget
{
    private const string ConfigPath = "/etc/mesos-executor/fuzz.yaml";

    private static readonly ExecutorFlags Flags = ExecutorFlags.Parse(["--config=" + ConfigPath]);

    /// <inheritdoc />
    public override string Name => "yaml-config";

    /// <inheritdoc />
    public override string Description => "the reference executor's YAML configuration (ConfigLoader: parse + resolve)";

    /// <summary>YamlDotNet's parser builds tokens and events per document, ConfigYamlReader the document: 4 MiB plus 1 KiB per input byte.</summary>
    public override long AllocationBound(int inputLength) => (4L << 20) + (1024L * inputLength);

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> data)
    {
        string yaml = Encoding.UTF8.GetString(data);
        var sources = new ConfigSources
        {
            Environment = static _ => null,
            FileExists = static path => path == ConfigPath,
            ReadFile = path => path == ConfigPath ? yaml : throw new FileNotFoundException("no such file", path),
            BaseDirectory = "/opt/mesos-executor",
        };
        _ = ConfigLoader.Load(Flags, sources);
    }

    /// <inheritdoc />
    public override bool IsExpected(Exception exception) => exception is ExecutorConfigurationException;

    /// <inheritdoc />
    public override IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        // The repository's config.yaml (every key) and the documents of ConfigLoaderTests.
        yield return ("config-yaml", File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "seeds", "config.yaml")));
        string[] documents =
        [
            "logging:\n  level: debug\n",
            "timeouts:\n  default_kill_grace: 3secs\n",
            "hooks:\n  enabled: [acl, firewall]\n",
            "timeouts:\n  default_kill_grace: 3 seconds\n",
            "logging:\n  levle: debug\n",
            "docker:\n  socket: [a, b]\n",
            "logging:\n  level: debug\n bad: : :\n",
            "hooks:\n  enabled: [acl, netns]\n  priorities: {acl: 250}\n  acl:\n    default_allowed_sources: [10.0.0.0/8]\n",
            "docker:\n  socket: unix:///run/docker.sock\n  api_version: \"1.41\"\n  extra_labels: {team: infra}\n",
            "memory:\n  release_file_pages: true\n  release_interval: 1.5mins\n",
            "environment_overrides: [logging.level, docker.socket]\n",
        ];
        for (int i = 0; i < documents.Length; i++)
        {
            yield return ("document-" + i, Encoding.UTF8.GetBytes(documents[i]));
        }

        // The reader's limits (ConfigYamlReaderTests): aliases, aliases of aliases beyond the
        // limit ("billion laughs" within the schema), and nesting far deeper than the schema.
        yield return ("aliases", Encoding.UTF8.GetBytes("hooks:\n  enabled: &hooks [exec]\n  exec:\n    pre-stop: &stop {command: [/bin/stop], timeout: &t 3secs}\n    post-stop: *stop\n    ready: {command: [/bin/ready], timeout: *t}\n"));
        string laughs = "hooks:\n  exec: &e\n    pre-run: &b\n      command: &c [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Concat(Enumerable.Repeat("      command: *c\n", 10))
            + string.Concat(Enumerable.Repeat("    pre-stop: *b\n", 10))
            + string.Concat(Enumerable.Repeat("  exec: *e\n", 10));
        yield return ("alias-expansion", Encoding.UTF8.GetBytes(laughs));
        yield return ("deep-nesting", Encoding.UTF8.GetBytes("hooks:\n  enabled: " + new string('[', 10_000)));
    }
}
