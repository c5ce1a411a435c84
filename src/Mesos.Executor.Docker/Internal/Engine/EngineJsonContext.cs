using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// Source-generated JSON metadata for exactly the Engine API answers the containerizer reads:
/// a general-purpose client's metadata for the whole API would cost the executor megabytes of
/// binary and memory (see benchmarks/footprint). Request bodies: <see cref="EngineRequestJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateContainerResponse))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerExecCreateResponse))]
[JsonSerializable(typeof(ContainerExecInspectResponse))]
[JsonSerializable(typeof(JSONMessage))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
