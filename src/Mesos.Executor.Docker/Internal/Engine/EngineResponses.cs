using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>The answer to <c>POST /containers/create</c>.</summary>
internal sealed class CreateContainerResponse
{
    [JsonPropertyName("Id")]
    public string ID { get; set; } = string.Empty;

    public IList<string>? Warnings { get; set; }
}

/// <summary>The answer to <c>POST /containers/{id}/wait</c>.</summary>
internal sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }

    public WaitExitError? Error { get; set; }
}

/// <summary>Why waiting for the container's exit failed, as the engine reports it.</summary>
internal sealed class WaitExitError
{
    public string? Message { get; set; }
}

/// <summary>The body of <c>POST /containers/{id}/exec</c>.</summary>
internal sealed class ContainerExecCreateParameters
{
    public string? User { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    public IList<string>? Env { get; set; }

    public IList<string>? Cmd { get; set; }
}

/// <summary>The answer to <c>POST /containers/{id}/exec</c>.</summary>
internal sealed class ContainerExecCreateResponse
{
    [JsonPropertyName("Id")]
    public string ID { get; set; } = string.Empty;
}

/// <summary>The body of <c>POST /exec/{id}/start</c>.</summary>
internal sealed class ContainerExecStartParameters
{
    public bool Detach { get; set; }

    public bool Tty { get; set; }
}

/// <summary>The answer to <c>GET /exec/{id}/json</c> (the fields the containerizer reads).</summary>
internal sealed class ContainerExecInspectResponse
{
    public bool Running { get; set; }

    public long? ExitCode { get; set; }

    public long Pid { get; set; }
}

/// <summary>One message of the <c>POST /images/create</c> progress stream.</summary>
internal sealed class JSONMessage
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("id")]
    public string? ID { get; set; }

    [JsonPropertyName("errorDetail")]
    public JSONError? Error { get; set; }

    /// <summary>The error as plain text (older engines send only this one).</summary>
    [JsonPropertyName("error")]
    public string? ErrorMessage { get; set; }
}

/// <summary>An error reported inside the pull stream.</summary>
internal sealed class JSONError
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>The body of <c>POST /volumes/create</c>.</summary>
internal sealed class VolumeCreateParameters
{
    public string? Name { get; set; }

    public string? Driver { get; set; }

    public IDictionary<string, string>? DriverOpts { get; set; }

    public IDictionary<string, string>? Labels { get; set; }
}
