using System;
using System.IO;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>Where configuration comes from; tests replace the file system and the environment.</summary>
internal sealed record ConfigSources
{
    /// <summary>The system-wide configuration file, searched after the one beside the binary.</summary>
    public const string SystemConfigPath = "/etc/mesos-executor/config.yaml";

    /// <summary>The file name searched beside the binary.</summary>
    public const string FileName = "config.yaml";

    /// <summary>Reads an environment variable; <see langword="null"/> when unset.</summary>
    public required Func<string, string?> Environment { get; init; }

    /// <summary>Whether a file exists.</summary>
    public required Func<string, bool> FileExists { get; init; }

    /// <summary>Reads a whole file.</summary>
    public required Func<string, string> ReadFile { get; init; }

    /// <summary>The directory of the executable (<see cref="AppContext.BaseDirectory"/>).</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The real process environment and file system.</summary>
    /// <returns>The sources.</returns>
    public static ConfigSources FromProcess() => new()
    {
        Environment = System.Environment.GetEnvironmentVariable,
        FileExists = File.Exists,
        ReadFile = File.ReadAllText,
        BaseDirectory = AppContext.BaseDirectory,
    };
}
