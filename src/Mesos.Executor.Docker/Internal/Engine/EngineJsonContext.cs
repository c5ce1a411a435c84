using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// Source-generated JSON metadata for the pull progress stream, the one Engine API answer read
/// through the serializer (a general-purpose client's metadata for the whole API would cost the
/// executor megabytes of binary and memory, see benchmarks/footprint). The small answers:
/// <see cref="EngineAnswers"/>; request bodies: <see cref="EngineRequestJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JSONMessage))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
