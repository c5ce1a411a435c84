using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>
/// A parsed Docker client config file: the credentials per registry key (in file order), and the
/// credential helpers it names. A broken file (not JSON, wrong shape) fails to parse; a broken entry
/// (<c>auth</c> not base64 of <c>user:password</c>) fails only when it is the one a pull needs.
/// Error messages name the file and the key, never a credential.
/// </summary>
internal sealed class DockerConfigFile
{
    private readonly List<(string Key, Entry Entry)> _auths;
    private readonly Dictionary<string, string> _credHelpers;
    private readonly string? _credsStore;

    private DockerConfigFile(string source, List<(string Key, Entry Entry)> auths, Dictionary<string, string> credHelpers, string? credsStore)
    {
        Source = source;
        _auths = auths;
        _credHelpers = credHelpers;
        _credsStore = credsStore;
    }

    /// <summary>Where the file came from, for messages (a path).</summary>
    public string Source { get; }

    /// <summary>Parses <paramref name="json"/>.</summary>
    /// <param name="json">The file's bytes.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="format">Its layout.</param>
    /// <exception cref="InvalidDataException">The file is not JSON or not shaped like a Docker config file.</exception>
    public static DockerConfigFile Parse(ReadOnlySpan<byte> json, string source, DockerConfigFormat format)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            // The position only: the reader's message may quote the text around the error.
            throw new InvalidDataException($"{source} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }

        using (document)
        {
            try
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{source} is not a JSON object");
                }

                bool hasAuths = root.TryGetProperty("auths", out JsonElement auths);
                if (format == DockerConfigFormat.Detect)
                {
                    format = hasAuths ? DockerConfigFormat.ConfigJson : DockerConfigFormat.Legacy;
                }

                var entries = new List<(string, Entry)>();
                var helpers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                string? store = null;
                if (format == DockerConfigFormat.Legacy)
                {
                    ReadAuths(root, source, string.Empty, entries);
                }
                else
                {
                    if (hasAuths && auths.ValueKind != JsonValueKind.Null)
                    {
                        if (auths.ValueKind != JsonValueKind.Object)
                        {
                            throw new InvalidDataException($"{source}: 'auths' is not an object");
                        }

                        ReadAuths(auths, source, "auths.", entries);
                    }

                    if (root.TryGetProperty("credHelpers", out JsonElement credHelpers) && credHelpers.ValueKind == JsonValueKind.Object)
                    {
                        foreach (JsonProperty helper in credHelpers.EnumerateObject())
                        {
                            if (helper.Value.ValueKind == JsonValueKind.String && helper.Value.GetString() is { Length: > 0 } name)
                            {
                                helpers[RegistryAddress.Normalize(helper.Name)] = name;
                            }
                        }
                    }

                    if (root.TryGetProperty("credsStore", out JsonElement credsStore) && credsStore.ValueKind == JsonValueKind.String
                        && credsStore.GetString() is { Length: > 0 } storeName)
                    {
                        store = storeName;
                    }
                }

                return new DockerConfigFile(source, entries, helpers, store);
            }
            catch (InvalidOperationException)
            {
                // A string or a name that is not valid UTF-8, or an escaped lone surrogate ("\ud800"):
                // JsonDocument accepts both, reading the string refuses them. No position: the
                // reader no longer has one.
                throw new InvalidDataException($"{source} is not valid JSON (a string is not valid Unicode)");
            }
        }
    }

    /// <summary>
    /// The credentials for <paramref name="registry"/> (see <see cref="RegistryAddress.Of"/>): the
    /// entry whose key is exactly the registry (as <c>docker login</c> writes it), else the first
    /// whose key names it in another form (a URL, an alias of Docker Hub). A credential helper
    /// named for the registry wins, as in the Docker CLI.
    /// </summary>
    /// <exception cref="InvalidDataException">The matching entry is malformed.</exception>
    public RegistryLookup Find(string registry)
    {
        if (_credHelpers.TryGetValue(registry, out string? helper))
        {
            return new RegistryLookup(null, null, helper);
        }

        (string Key, Entry Entry)? match = null;
        foreach (var candidate in _auths)
        {
            if (RegistryAddress.IsExactKey(candidate.Key, registry))
            {
                match = candidate;
                break;
            }
        }

        if (match == null)
        {
            foreach (var candidate in _auths)
            {
                if (RegistryAddress.Matches(candidate.Key, registry))
                {
                    match = candidate;
                    break;
                }
            }
        }

        if (match is { } found)
        {
            if (found.Entry.Problem != null)
            {
                throw new InvalidDataException($"{Source}: the entry '{found.Key}' {found.Entry.Problem}");
            }

            if (found.Entry.Credential(RegistryAddress.ServerAddress(registry)) is { } credential)
            {
                return new RegistryLookup(credential, found.Key, null);
            }
        }

        return _credsStore != null ? new RegistryLookup(null, null, _credsStore) : RegistryLookup.None;
    }

    private static void ReadAuths(JsonElement auths, string source, string prefix, List<(string, Entry)> entries)
    {
        foreach (JsonProperty property in auths.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: '{prefix}{property.Name}' is not an object");
            }

            entries.Add((property.Name, Entry.Read(property.Value)));
        }
    }

    /// <summary>One registry's entry; <see cref="Problem"/> says why it cannot be used.</summary>
    private sealed class Entry
    {
        private string? _username;
        private string? _password;
        private string? _identityToken;

        public string? Problem { get; private set; }

        public static Entry Read(JsonElement value)
        {
            var entry = new Entry();
            string? auth = entry.Text(value, "auth");
            entry._username = entry.Text(value, "username");
            entry._password = entry.Text(value, "password");
            entry._identityToken = entry.Text(value, "identitytoken");
            if (entry.Problem == null && !string.IsNullOrEmpty(auth))
            {
                entry.DecodeAuth(auth);
            }

            return entry;
        }

        public RegistryCredential? Credential(string serverAddress)
        {
            if (!string.IsNullOrEmpty(_identityToken))
            {
                return RegistryCredential.Token(serverAddress, _identityToken);
            }

            return string.IsNullOrEmpty(_username) && string.IsNullOrEmpty(_password)
                ? null
                : RegistryCredential.Basic(serverAddress, _username ?? string.Empty, _password ?? string.Empty);
        }

        private void DecodeAuth(string auth)
        {
            // "auth" is base64("user:password") and wins over "username" / "password", as in the CLI.
            string decoded;
            try
            {
                decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(auth.Trim()));
            }
            catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
            {
                Problem = "has an 'auth' that is not base64 (of user:password)";
                return;
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                Problem = "has an 'auth' that is not base64 of user:password (no ':')";
                return;
            }

            _username = decoded[..colon];
            _password = decoded[(colon + 1)..];
        }

        private string? Text(JsonElement value, string name)
        {
            if (!value.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind != JsonValueKind.String)
            {
                Problem ??= $"has a '{name}' that is not a string";
                return null;
            }

            return element.GetString();
        }
    }
}
