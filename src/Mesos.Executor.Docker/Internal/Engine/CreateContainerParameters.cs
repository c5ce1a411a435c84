using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// The body of <c>POST /containers/create</c> (the engine's <c>Config</c> with <c>HostConfig</c> and
/// <c>NetworkingConfig</c>), holding only the fields the containerizer sets. Property names follow
/// the Engine API's JSON names; null members are left out of the request.
/// </summary>
internal sealed class CreateContainerParameters
{
    /// <summary>The container's name: the <c>name</c> query parameter, not part of the body.</summary>
    [JsonIgnore]
    public string? Name { get; set; }

    public string? Hostname { get; set; }

    public string? Domainname { get; set; }

    public string? User { get; set; }

    public IDictionary<string, EmptyStruct>? ExposedPorts { get; set; }

    public bool Tty { get; set; }

    public IList<string>? Env { get; set; }

    public IList<string>? Cmd { get; set; }

    public HealthcheckConfig? Healthcheck { get; set; }

    public string? Image { get; set; }

    public IDictionary<string, EmptyStruct>? Volumes { get; set; }

    public string? WorkingDir { get; set; }

    public IList<string>? Entrypoint { get; set; }

    public IDictionary<string, string>? Labels { get; set; }

    public string? StopSignal { get; set; }

    /// <summary>Whole seconds on the wire (<see cref="StopTimeoutSeconds"/>).</summary>
    [JsonIgnore]
    public TimeSpan? StopTimeout { get; set; }

    /// <summary>
    /// <see cref="StopTimeout"/> as the engine reads it. A plain number rather than a converter on
    /// the TimeSpan: a converter attribute would take the whole create body off the generated
    /// serialization code (EngineRequestJsonContext).
    /// </summary>
    [JsonPropertyName("StopTimeout")]
    public long? StopTimeoutSeconds => StopTimeout is { } timeout ? (long)timeout.TotalSeconds : null;

    public IList<string>? Shell { get; set; }

    public HostConfig? HostConfig { get; set; }

    public NetworkingConfig? NetworkingConfig { get; set; }
}

/// <summary>An empty JSON object: the value type of the engine's "set of keys" maps.</summary>
internal readonly struct EmptyStruct;

/// <summary>The image's health check override (only <c>Test</c> is set: <c>["NONE"]</c> disables it).</summary>
internal sealed class HealthcheckConfig
{
    public IList<string>? Test { get; set; }
}
