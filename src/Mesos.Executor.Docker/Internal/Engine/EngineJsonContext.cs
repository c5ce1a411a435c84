using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// Source-generated JSON metadata for exactly the Engine API messages the containerizer exchanges:
/// a general-purpose client's metadata for the whole API would cost the executor megabytes of
/// binary and memory (see benchmarks/footprint).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateContainerParameters))]
[JsonSerializable(typeof(CreateContainerResponse))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerExecCreateParameters))]
[JsonSerializable(typeof(ContainerExecCreateResponse))]
[JsonSerializable(typeof(ContainerExecStartParameters))]
[JsonSerializable(typeof(ContainerExecInspectResponse))]
[JsonSerializable(typeof(JSONMessage))]
[JsonSerializable(typeof(VolumeCreateParameters))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
