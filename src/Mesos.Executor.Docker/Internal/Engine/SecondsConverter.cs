using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>A <see cref="TimeSpan"/> written as whole seconds (the engine's <c>StopTimeout</c>).</summary>
internal sealed class SecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromSeconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue((long)value.TotalSeconds);
    }
}
