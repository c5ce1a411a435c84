namespace Mesos.Executor.Core;

/// <summary>
/// How calls and events are encoded on the agent's <c>/api/v1/executor</c> endpoint: the
/// <c>Content-Type</c> of calls and the <c>Accept</c> of the SUBSCRIBE stream (docs/executor-http-api.md).
/// </summary>
public enum AgentContentType
{
    /// <summary>Binary protobuf, <c>application/x-protobuf</c>. The default: smaller and faster, and needs no protobuf reflection.</summary>
    Protobuf = 0,

    /// <summary>
    /// JSON, <c>application/json</c>, in the form Mesos uses: proto field names (snake_case), enums
    /// as names, bytes in base64. 64-bit integers are written as JSON strings, which agents accept
    /// since Mesos 1.6.
    /// </summary>
    Json = 1,
}
