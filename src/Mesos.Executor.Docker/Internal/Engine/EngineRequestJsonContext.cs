using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// The request bodies the containerizer sends, written by source-generated code (the generator's
/// serialization-only mode) instead of through the serializer's property metadata. Building that
/// metadata for the create body (some forty nested types) was a third of the CPU of a whole
/// executor run (subscribe, launch, health checks, kill), all of it between LAUNCH and
/// TASK_RUNNING; see README "Footprint". Answers are read with <see cref="EngineJsonContext"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(CreateContainerParameters))]
[JsonSerializable(typeof(ContainerExecCreateParameters))]
[JsonSerializable(typeof(ContainerExecStartParameters))]
[JsonSerializable(typeof(VolumeCreateParameters))]
internal sealed partial class EngineRequestJsonContext : JsonSerializerContext;
