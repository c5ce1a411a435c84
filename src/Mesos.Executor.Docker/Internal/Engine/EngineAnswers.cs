using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Mesos.Executor.Docker.Internal.Engine;

/// <summary>
/// Reads the engine's small answers (create, wait, exec create, exec inspect) from a parsed
/// document, like <see cref="ContainerInspection"/>. The serializer's metadata path for them built
/// property metadata and scanned attributes by reflection on first use, between LAUNCH and
/// TASK_RUNNING (README "Footprint"). Same contract as the serializer had: unknown members are
/// ignored, a member of the wrong JSON type or a body that is not an object is a
/// <see cref="JsonException"/>.
/// </summary>
internal static class EngineAnswers
{
    /// <summary><c>POST /containers/create</c>: <c>{"Id": "...", "Warnings": [...]}</c>.</summary>
    /// <exception cref="JsonException">The body is not such an object.</exception>
    public static CreateContainerResponse CreateContainer(ReadOnlySpan<byte> json) => Read(json, root => new CreateContainerResponse
    {
        ID = String(root, "Id") ?? string.Empty,
        Warnings = Strings(root, "Warnings"),
    });

    /// <summary><c>POST /containers/{id}/wait</c>: <c>{"StatusCode": N, "Error": {"Message": "..."}}</c>.</summary>
    /// <exception cref="JsonException">The body is not such an object.</exception>
    public static ContainerWaitResponse Wait(ReadOnlySpan<byte> json) => Read(json, root => new ContainerWaitResponse
    {
        StatusCode = Number(root, "StatusCode") ?? 0,
        Error = Member(root, "Error", JsonValueKind.Object) is { } error ? new WaitExitError { Message = String(error, "Message") } : null,
    });

    /// <summary><c>POST /containers/{id}/exec</c>: <c>{"Id": "..."}</c>.</summary>
    /// <exception cref="JsonException">The body is not such an object.</exception>
    public static ContainerExecCreateResponse ExecCreate(ReadOnlySpan<byte> json) => Read(json, root => new ContainerExecCreateResponse
    {
        ID = String(root, "Id") ?? string.Empty,
    });

    /// <summary><c>GET /exec/{id}/json</c>: <c>{"Running": bool, "ExitCode": N, "Pid": N}</c>.</summary>
    /// <exception cref="JsonException">The body is not such an object.</exception>
    public static ContainerExecInspectResponse ExecInspect(ReadOnlySpan<byte> json) => Read(json, root => new ContainerExecInspectResponse
    {
        Running = Bool(root, "Running"),
        ExitCode = Number(root, "ExitCode"),
        Pid = Number(root, "Pid") ?? 0,
    });

    private static T Read<T>(ReadOnlySpan<byte> json, Func<JsonElement, T> read)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"the engine answered {typeof(T).Name} with {document.RootElement.ValueKind}, not an object");
            }

            return read(document.RootElement);
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not valid UTF-8, or an escaped lone surrogate: JsonDocument accepts
            // it, reading the string refuses it (issue 16).
            throw new JsonException("the engine's answer holds a string that is not valid Unicode", ex);
        }
    }

    /// <summary>The member, absent when missing or null; of another kind than <paramref name="kind"/>, an error.</summary>
    private static JsonElement? Member(JsonElement element, string name, JsonValueKind kind)
    {
        if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
        {
            throw new JsonException($"'{name}' is {value.ValueKind}, expected {(kind == JsonValueKind.True ? "a boolean" : kind.ToString())}");
        }

        return value;
    }

    private static string? String(JsonElement element, string name) => Member(element, name, JsonValueKind.String)?.GetString();

    private static bool Bool(JsonElement element, string name) => Member(element, name, JsonValueKind.True)?.ValueKind == JsonValueKind.True;

    private static long? Number(JsonElement element, string name) =>
        Member(element, name, JsonValueKind.Number) is { } value
            ? value.TryGetInt64(out long number) ? number : throw new JsonException($"'{name}' is not a 64-bit integer")
            : null;

    private static List<string>? Strings(JsonElement element, string name)
    {
        if (Member(element, name, JsonValueKind.Array) is not { } array)
        {
            return null;
        }

        var list = new List<string>(array.GetArrayLength());
        foreach (JsonElement item in array.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new JsonException($"'{name}' holds a {item.ValueKind}, expected strings"));
        }

        return list;
    }
}
