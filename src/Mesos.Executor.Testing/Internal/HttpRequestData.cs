using System;
using System.Collections.Generic;

namespace Mesos.Executor.Testing.Internal;

/// <summary>One parsed HTTP/1.1 request, headers as received (names and order kept).</summary>
internal sealed record HttpRequestData(
    string Method,
    string Target,
    string Version,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    /// <summary>The first value of a header (names compare case-insensitively), or <see langword="null"/>.</summary>
    public string? GetHeader(string name)
    {
        foreach (KeyValuePair<string, string> header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Whether the client wants the connection closed after the response.</summary>
    public bool WantsClose =>
        string.Equals(GetHeader("Connection"), "close", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(Version, "HTTP/1.0", StringComparison.Ordinal);
}
