using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Docker.Internal.Registry;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests;

/// <summary>Docker config files (config.json and the legacy .dockercfg) and the X-Registry-Auth header they produce.</summary>
[TestFixture]
public sealed class DockerConfigFileTests
{
    private const string Registry = "127.0.0.1:5124";

    private static string Auth(string userAndPassword) => Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private static DockerConfigFile Parse(string json, DockerConfigFormat format = DockerConfigFormat.ConfigJson) =>
        DockerConfigFile.Parse(Encoding.UTF8.GetBytes(json), "/sandbox/.docker/config.json", format);

    /// <summary>Decodes the header as the engine does: base64url, then JSON.</summary>
    private static JsonElement Header(RegistryCredential credential)
    {
        string value = credential.ToHeaderValue();
        Assert.That(value, Does.Not.Contain("+").And.Not.Contain("/"), "base64url");
        byte[] bytes = Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/'));
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    [Test]
    public void Find_AuthsEntryWithAuth_DecodesUserAndPassword()
    {
        var file = Parse($$"""{"auths":{"{{Registry}}":{"auth":"{{Auth("alice:pa:ss")}}","email":"a@example.com"} } }""");

        RegistryLookup lookup = file.Find(Registry);

        JsonElement header = Header(lookup.Credential!);
        Assert.Multiple(() =>
        {
            Assert.That(lookup.Key, Is.EqualTo(Registry));
            Assert.That(header.GetProperty("username").GetString(), Is.EqualTo("alice"));
            Assert.That(header.GetProperty("password").GetString(), Is.EqualTo("pa:ss"), "split at the first ':'");
            Assert.That(header.GetProperty("serveraddress").GetString(), Is.EqualTo(Registry));
            Assert.That(header.TryGetProperty("identitytoken", out _), Is.False);
        });
    }

    [Test]
    public void Find_UsernameAndPasswordFields_AreUsed()
    {
        var file = Parse($$"""{"auths":{"https://{{Registry}}/v2/":{"username":"bob","password":"secret"} } }""");

        JsonElement header = Header(file.Find(Registry).Credential!);

        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("username").GetString(), Is.EqualTo("bob"));
            Assert.That(header.GetProperty("password").GetString(), Is.EqualTo("secret"));
        });
    }

    [Test]
    public void Find_IdentityToken_IsSentAsIdentityToken()
    {
        var file = Parse("""{"auths":{"https://index.docker.io/v1/":{"auth":"","identitytoken":"tok-123"}}}""");

        JsonElement header = Header(file.Find("docker.io").Credential!);

        Assert.Multiple(() =>
        {
            Assert.That(header.GetProperty("identitytoken").GetString(), Is.EqualTo("tok-123"));
            Assert.That(header.GetProperty("serveraddress").GetString(), Is.EqualTo("https://index.docker.io/v1/"));
            Assert.That(header.TryGetProperty("password", out _), Is.False);
        });
    }

    [TestCase("https://index.docker.io/v1/")]
    [TestCase("index.docker.io")]
    [TestCase("docker.io")]
    public void Find_DockerHubKeyForms_MatchUnqualifiedImages(string key)
    {
        var file = Parse($$"""{"auths":{"{{key}}":{"auth":"{{Auth("u:p")}}"} } }""");

        Assert.That(file.Find(RegistryAddress.Of("busybox:1")).Key, Is.EqualTo(key));
    }

    [Test]
    public void Find_ExactKey_WinsOverAnEarlierUrlForm()
    {
        var file = Parse($$"""{"auths":{"http://{{Registry}}":{"auth":"{{Auth("url:form")}}"},"{{Registry}}":{"auth":"{{Auth("exact:key")}}"} } }""");

        Assert.That(Header(file.Find(Registry).Credential!).GetProperty("username").GetString(), Is.EqualTo("exact"));
    }

    [Test]
    public void Find_OtherRegistryOnly_FindsNothing()
    {
        var file = Parse($$"""{"auths":{"127.0.0.1:5123":{"auth":"{{Auth("u:p")}}"} } }""");

        Assert.That(file.Find(Registry), Is.EqualTo(RegistryLookup.None));
    }

    [Test]
    public void Find_LegacyDockercfg_FlatMap()
    {
        var file = Parse($$"""{"{{Registry}}":{"auth":"{{Auth("old:style")}}","email":"x@example.com"} }""", DockerConfigFormat.Legacy);

        Assert.That(Header(file.Find(Registry).Credential!).GetProperty("username").GetString(), Is.EqualTo("old"));
    }

    [Test]
    public void Find_DetectedFormat_TellsTheLayoutsApart()
    {
        var legacy = Parse($$"""{"{{Registry}}":{"auth":"{{Auth("legacy:p")}}"} }""", DockerConfigFormat.Detect);
        var modern = Parse($$"""{"auths":{"{{Registry}}":{"auth":"{{Auth("modern:p")}}"} } }""", DockerConfigFormat.Detect);

        Assert.Multiple(() =>
        {
            Assert.That(Header(legacy.Find(Registry).Credential!).GetProperty("username").GetString(), Is.EqualTo("legacy"));
            Assert.That(Header(modern.Find(Registry).Credential!).GetProperty("username").GetString(), Is.EqualTo("modern"));
        });
    }

    [Test]
    public void Find_CredHelperForTheRegistry_NamesTheHelperAndGivesNoCredential()
    {
        var file = Parse($$"""{"auths":{"{{Registry}}":{"auth":"{{Auth("u:p")}}"} },"credHelpers":{"{{Registry}}":"ecr-login"} }""");

        RegistryLookup lookup = file.Find(Registry);

        Assert.Multiple(() =>
        {
            Assert.That(lookup.Helper, Is.EqualTo("ecr-login"));
            Assert.That(lookup.Credential, Is.Null);
        });
    }

    [Test]
    public void Find_CredsStoreWithoutAnEntry_NamesTheStore_AnEntryStillWins()
    {
        var file = Parse($$"""{"auths":{"127.0.0.1:5123":{"auth":"{{Auth("u:p")}}"}, "{{Registry}}":{} },"credsStore":"desktop"}""");

        Assert.Multiple(() =>
        {
            Assert.That(file.Find(Registry).Helper, Is.EqualTo("desktop"));
            Assert.That(file.Find("127.0.0.1:5123").Credential, Is.Not.Null);
        });
    }

    [Test]
    public void Parse_NotJson_FailsNamingTheFileNotTheText()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Parse("""{"auths": {"r": {"auth": "c2VjcmV0OnNlY3JldA=="} """));

        Assert.That(ex!.Message, Does.Contain("/sandbox/.docker/config.json is not valid JSON").And.Not.Contain("c2VjcmV0"));
    }

    [TestCase("[]", "is not a JSON object")]
    [TestCase("""{"auths":[]}""", "'auths' is not an object")]
    [TestCase("""{"auths":{"r":"x"}}""", "'auths.r' is not an object")]
    public void Parse_WrongShape_Fails(string json, string message) =>
        Assert.That(() => Parse(json), Throws.TypeOf<InvalidDataException>().With.Message.Contains(message));

    [Test]
    public void Find_BadBase64InTheMatchingEntry_FailsWithoutShowingIt()
    {
        var file = Parse($$"""{"auths":{"{{Registry}}":{"auth":"not*base64!"} } }""");

        var ex = Assert.Throws<InvalidDataException>(() => file.Find(Registry));

        Assert.That(ex!.Message, Does.Contain($"the entry '{Registry}' has an 'auth' that is not base64").And.Not.Contain("not*base64!"));
    }

    [Test]
    public void Find_AuthWithoutColon_Fails()
    {
        var file = Parse($$"""{"auths":{"{{Registry}}":{"auth":"{{Auth("nocolon")}}"} } }""");

        Assert.That(() => file.Find(Registry), Throws.TypeOf<InvalidDataException>().With.Message.Contains("no ':'"));
    }

    [Test]
    public void Find_BadEntryForAnotherRegistry_DoesNotMatter()
    {
        var file = Parse($$"""{"auths":{"other.example.com":{"auth":"%%%"},"{{Registry}}":{"auth":"{{Auth("u:p")}}"} } }""");

        Assert.That(file.Find(Registry).Credential, Is.Not.Null);
    }

    [Test]
    public void Credential_ToString_ShowsNoSecret()
    {
        var file = Parse($$"""{"auths":{"{{Registry}}":{"auth":"{{Auth("alice:hunter2")}}"} } }""");
        RegistryCredential credential = file.Find(Registry).Credential!;

        Assert.That(credential.ToString(), Does.Not.Contain("hunter2").And.Not.Contain("alice").And.Contain(Registry));
    }

    // Found by the registry-config fuzz target (issue 16): JsonDocument accepts an escaped lone
    // surrogate, reading the string threw InvalidOperationException.
    [TestCase("""{"auths":{"\ud800":{}}}""")]
    [TestCase("""{"auths":{"r":{"auth":"\udc00"}}}""")]
    [TestCase("""{"credsStore":"\ud800x"}""")]
    public void Parse_EscapedLoneSurrogate_ThrowsInvalidData(string json)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Parse(json));

        Assert.That(ex!.Message, Does.Contain("/sandbox/.docker/config.json"));
    }

    [Test]
    public void Parse_KeyNotUtf8_ThrowsInvalidData()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("{\"auths\":{\""), 0xB0, .. Encoding.UTF8.GetBytes("\":{}}}")];

        Assert.Throws<InvalidDataException>(() => DockerConfigFile.Parse(json, "/sandbox/.dockercfg", DockerConfigFormat.Detect));
    }
}
