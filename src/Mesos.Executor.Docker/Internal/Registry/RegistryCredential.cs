using System;
using System.Buffers;
using System.Text.Json;

namespace Mesos.Executor.Docker.Internal.Registry;

/// <summary>
/// Credentials for one registry, from a Docker config file: a user name and password, or an
/// identity token. <see cref="ToString"/> never shows them; nothing may log them.
/// </summary>
internal sealed class RegistryCredential
{
    private readonly string? _username;
    private readonly string? _password;
    private readonly string? _identityToken;

    private RegistryCredential(string serverAddress, string? username, string? password, string? identityToken)
    {
        ServerAddress = serverAddress;
        _username = username;
        _password = password;
        _identityToken = identityToken;
    }

    /// <summary>The registry the credentials are sent for (<c>serveraddress</c>).</summary>
    public string ServerAddress { get; }

    public static RegistryCredential Basic(string serverAddress, string username, string password) =>
        new(serverAddress, username, password, null);

    public static RegistryCredential Token(string serverAddress, string identityToken) =>
        new(serverAddress, null, null, identityToken);

    /// <summary>
    /// The <c>X-Registry-Auth</c> header value of the Engine API: the base64url encoding (with
    /// padding, as the Docker CLI sends it) of <c>{"username","password","serveraddress"}</c> or
    /// <c>{"identitytoken","serveraddress"}</c>.
    /// </summary>
    public string ToHeaderValue()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (_identityToken != null)
            {
                writer.WriteString("identitytoken", _identityToken);
            }
            else
            {
                writer.WriteString("username", _username);
                writer.WriteString("password", _password);
            }

            writer.WriteString("serveraddress", ServerAddress);
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.WrittenSpan).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The kind of credentials and the registry; never the secrets.</summary>
    public override string ToString() =>
        (_identityToken != null ? "identity token" : "user name and password") + " for " + ServerAddress;
}
