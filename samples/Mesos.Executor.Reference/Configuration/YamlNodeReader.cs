using System;
using System.Collections.Generic;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// Reads the nodes of a one-document YAML configuration in order, as the kinds its reader expects:
/// mappings with text keys, text, lists of text, maps of text to text. Every error is a
/// <see cref="YamlException"/> at the node, naming its key. What YamlDotNet's object deserializer
/// accepted for such a document reads the same:
/// <list type="bullet">
/// <item>every value is text; a plain <c>~</c>, <c>null</c>, <c>Null</c>, <c>NULL</c> or nothing is no value
/// (<see langword="null"/>; a null list entry or map value stays null), a quoted one is that text;</item>
/// <item>aliases repeat their anchored node (<see cref="YamlEventStream"/>);</item>
/// <item>YAML's own tags are ignored (<c>!!int 3</c> is the text 3: the configuration's resolver validates
/// every value); any other tag is an error, as it most likely is a value that starts with <c>!</c>;</item>
/// <item>one document: an empty file has none, a second <c>---</c> document is an error.</item>
/// </list>
/// </summary>
internal sealed class YamlNodeReader
{
    private const string Mapping = "a mapping (key: value lines)";

    /// <summary>What <c>!!</c> stands for: YAML's own tags (<c>!!str</c>, <c>!!int</c>, <c>!!map</c>...).</summary>
    private const string StandardTagPrefix = "tag:yaml.org,2002:";

    private readonly YamlEventStream _events;

    /// <summary>Starts reading <paramref name="yaml"/>.</summary>
    /// <param name="yaml">The YAML text.</param>
    public YamlNodeReader(string yaml) => _events = new YamlEventStream(yaml);

    /// <summary>Reads up to the document's root mapping, whose keys <see cref="NextKey"/> then reads.</summary>
    /// <returns><see langword="false"/> when there is nothing to read: no document, or a document without a value (then already ended).</returns>
    /// <exception cref="YamlException">Not valid YAML, or the root is not a mapping.</exception>
    public bool BeginDocument()
    {
        Expect<StreamStart>(Next());
        ParsingEvent next = Next();
        if (next is StreamEnd)
        {
            return false;
        }

        Expect<DocumentStart>(next);
        ParsingEvent root = Next();
        switch (root)
        {
            case Scalar scalar when Text(scalar) == null:
                EndDocument();
                return false;
            case Scalar:
                throw Error(root, $"the file must be {Mapping}, not a single value");
            case SequenceStart:
                throw Error(root, $"the file must be {Mapping}, not a list");
            default:
                Begin(root, "the file");
                return true;
        }
    }

    /// <summary>Reads the end of the document (after the root mapping's end) and of the stream.</summary>
    /// <exception cref="YamlException">Not valid YAML, or a second document follows.</exception>
    public void EndDocument()
    {
        Expect<DocumentEnd>(Next());
        ParsingEvent next = Next();
        if (next is DocumentStart)
        {
            throw Error(next, "a second document ('---'): the file holds one document");
        }

        Expect<StreamEnd>(next);
    }

    /// <summary>Reads the value of <paramref name="key"/> up to the start of its mapping, whose keys <see cref="NextKey"/> then reads.</summary>
    /// <param name="key">The key whose value this is.</param>
    /// <returns><see langword="true"/> at the start of a mapping, <see langword="false"/> for no value.</returns>
    /// <exception cref="YamlException">Not valid YAML, or the value is neither a mapping nor empty.</exception>
    public bool BeginMapping(Scalar key)
    {
        ParsingEvent node = Next();
        if (node is Scalar scalar && Text(scalar) == null)
        {
            return false;
        }

        Begin(node, $"'{key.Value}'");
        return true;
    }

    /// <summary>Reads the next key of the mapping being read.</summary>
    /// <returns>The key, whose value must be read next; <see langword="null"/> at the end of the mapping.</returns>
    /// <exception cref="YamlException">Not valid YAML, or the key is not text.</exception>
    public Scalar? NextKey()
    {
        ParsingEvent next = Next();
        return next switch
        {
            MappingEnd => null,
            Scalar key => key,
            _ => throw Error(next, "a key must be a single value"),
        };
    }

    /// <summary>Reads the value of <paramref name="key"/> as text.</summary>
    /// <param name="key">The key whose value this is.</param>
    /// <returns>The text, or <see langword="null"/> for no value.</returns>
    /// <exception cref="YamlException">Not valid YAML, or the value is a list or a mapping.</exception>
    public string? ReadText(Scalar key)
    {
        ParsingEvent node = Next();
        return node is Scalar scalar ? Text(scalar) : throw Error(node, $"'{key.Value}' must be a single value");
    }

    /// <summary>Reads the value of <paramref name="key"/> as a list of text.</summary>
    /// <param name="key">The key whose value this is.</param>
    /// <returns>The list, or <see langword="null"/> for no value.</returns>
    /// <exception cref="YamlException">Not valid YAML, or the value is not a list of text.</exception>
    public List<string>? ReadList(Scalar key)
    {
        ParsingEvent node = Next();
        switch (node)
        {
            case Scalar scalar when Text(scalar) == null:
                return null;
            case SequenceStart:
                break;
            default:
                throw Error(node, $"'{key.Value}' must be a list");
        }

        var list = new List<string>();
        for (ParsingEvent entry = Next(); entry is not SequenceEnd; entry = Next())
        {
            // A null entry stays null, as YamlDotNet's deserializer left it: the resolver and the
            // hooks' validation name it (e.g. "pre-run.command[1] is null").
            list.Add(entry is Scalar scalar ? Text(scalar)! : throw Error(entry, $"'{key.Value}' must be a list of single values"));
        }

        return list;
    }

    /// <summary>Reads the value of <paramref name="key"/> as a map of text to text (keys as written: a plain <c>~</c> is the key "~").</summary>
    /// <param name="key">The key whose value this is.</param>
    /// <returns>The map (a key given twice: the last wins; a null value stays null), or <see langword="null"/> for no value.</returns>
    /// <exception cref="YamlException">Not valid YAML, or the value is not a mapping of text.</exception>
    public Dictionary<string, string>? ReadMap(Scalar key)
    {
        if (!BeginMapping(key))
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextKey() is { } entry)
        {
            map[entry.Value] = ReadText(entry)!;
        }

        return map;
    }

    /// <summary>The error for a key the mapping does not have.</summary>
    /// <param name="section">The mapping's path (<c>hooks.acl</c>), or <see langword="null"/> for the root.</param>
    /// <param name="key">The key just read.</param>
    /// <returns>The exception to throw.</returns>
    public YamlException UnknownKey(string? section, Scalar key) =>
        Error(key, $"unknown key '{(section == null ? key.Value : section + "." + key.Value)}'");

    /// <summary>The text of a scalar, or <see langword="null"/> for a plain null (YAML 1.2's core schema, as YamlDotNet read it, whatever the tag).</summary>
    private static string? Text(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value;

    private void Begin(ParsingEvent node, string what)
    {
        if (node is not MappingStart)
        {
            throw Error(node, $"{what} must be {Mapping}");
        }
    }

    /// <summary>
    /// The next event. Tags are ignored, except those YAML does not define: a value that starts
    /// with <c>!</c> is a tag, so <c>default_kill_grace: !3secs</c> would lose its value unnoticed.
    /// </summary>
    private ParsingEvent Next()
    {
        ParsingEvent next = _events.Next();
        if (next is NodeEvent { Tag: { IsEmpty: false, IsNonSpecific: false } tag }
            && !tag.Value.StartsWith(StandardTagPrefix, StringComparison.Ordinal))
        {
            throw Error(next, $"tag '{tag.Value}' is not supported: values are text (quote a value that starts with '!')");
        }

        return next;
    }

    private void Expect<T>(ParsingEvent next)
        where T : ParsingEvent
    {
        if (next is not T)
        {
            // The parser's grammar rules this out; a reader that trusted it would throw something else.
            throw Error(next, $"unexpected {next.GetType().Name} in the YAML stream");
        }
    }

    private YamlException Error(ParsingEvent node, string message)
    {
        // In a node repeated by an alias, the error is the alias's: the node is fine where it was anchored.
        AnchorAlias? alias = _events.Alias;
        return alias == null
            ? new YamlException(node.Start, node.End, message)
            : new YamlException(alias.Start, alias.End, $"{message} (in the node that alias '*{alias.Value.Value}' repeats, anchored at line {node.Start.Line})");
    }
}
