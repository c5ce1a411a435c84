using System.Text.Json;
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
internal sealed partial class EngineRequestJsonContext : JsonSerializerContext
{
    // The generator's own writers, called directly: through a JsonTypeInfo (even one that only
    // carries the writer) the serializer first builds the type's metadata object, which decodes
    // reflection metadata at run time; in a profile that was 5 % of an executor's CPU over ten
    // seconds of 0.1 s health checks, all of it in the first create. A generator that renamed them
    // breaks this build, never the wire format (EngineWireFormatTests, EngineAnswersTests).

    /// <summary>Writes the <c>POST /containers/create</c> body.</summary>
    public static void Write(Utf8JsonWriter writer, CreateContainerParameters value) => Default.CreateContainerParametersSerializeHandler(writer, value);

    /// <summary>Writes the <c>POST /containers/{id}/exec</c> body.</summary>
    public static void Write(Utf8JsonWriter writer, ContainerExecCreateParameters value) => Default.ContainerExecCreateParametersSerializeHandler(writer, value);

    /// <summary>Writes the <c>POST /exec/{id}/start</c> body.</summary>
    public static void Write(Utf8JsonWriter writer, ContainerExecStartParameters value) => Default.ContainerExecStartParametersSerializeHandler(writer, value);

    /// <summary>Writes the <c>POST /volumes/create</c> body (Podman).</summary>
    public static void Write(Utf8JsonWriter writer, VolumeCreateParameters value) => Default.VolumeCreateParametersSerializeHandler(writer, value);
}
