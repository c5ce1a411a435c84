using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mesos.Executor.Reference.Configuration;

/// <summary>
/// The parsing events of one YAML text (YamlDotNet's <see cref="Parser"/>), with every alias
/// (<c>*name</c>) replaced by the events of the node its anchor (<c>&amp;name</c>) marked, so a
/// reader sees the node whole wherever the alias stands. The aliases of a document may repeat at
/// most <see cref="MaxAliasEvents"/> events: a document whose aliases nest aliases ("billion
/// laughs") fails instead of growing without bound.
/// </summary>
internal sealed class YamlEventStream
{
    /// <summary>
    /// The most events all the aliases of a document may repeat: far above any configuration
    /// (an exec command repeated through an alias is a dozen events), far below a cost that matters.
    /// </summary>
    public const int MaxAliasEvents = 10_000;

    private readonly Parser _parser;

    // The nodes of the anchors seen so far, complete; an anchor defined again replaces its node.
    private readonly Dictionary<string, ParsingEvent[]> _anchors = new(StringComparer.Ordinal);

    // The anchored nodes still open (the innermost last): every event goes into each of them.
    private readonly List<Recording> _recording = [];

    private ParsingEvent[]? _replay;
    private int _replayNext;
    private int _aliasEvents;
    private Mark _lastEnd = new(0, 1, 1);

    /// <summary>Starts reading <paramref name="yaml"/>.</summary>
    /// <param name="yaml">The YAML text.</param>
    public YamlEventStream(string yaml) => _parser = new Parser(new StringReader(yaml));

    /// <summary>
    /// The alias whose node the last event came from, or <see langword="null"/> when it came from
    /// the text itself. An error in that node is reported at the alias: that is where it went wrong.
    /// </summary>
    public AnchorAlias? Alias { get; private set; }

    /// <summary>Reads the next event.</summary>
    /// <returns>The event; never an <see cref="AnchorAlias"/>.</returns>
    /// <exception cref="YamlException">The text is not valid YAML, an alias names no complete node before it, or the aliases repeat too much.</exception>
    public ParsingEvent Next()
    {
        ParsingEvent next;
        if (_replay != null && _replayNext < _replay.Length)
        {
            // A repeated node's own anchors are not defined again: an alias is the node, not a copy.
            next = _replay[_replayNext++];
        }
        else
        {
            _replay = null;
            Alias = null;
            next = ReadParser();
            if (next is AnchorAlias alias)
            {
                next = StartReplay(alias);
            }
            else if (next is NodeEvent { Anchor.IsEmpty: false } node)
            {
                _recording.Add(new Recording(node.Anchor.Value));
            }
        }

        Record(next);
        return next;
    }

    private ParsingEvent ReadParser()
    {
        try
        {
            if (!_parser.MoveNext())
            {
                // The parser ends with StreamEnd, after which nobody reads.
                throw new YamlException(_lastEnd, _lastEnd, "unexpected end of the YAML stream");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner lets a few malformed documents escape as other exceptions (found
            // by fuzzing, issue 16): a NUL after "...", a global tag that is not a URI ("!!stO["),
            // a \U escape beyond Unicode. They are YAML errors all the same.
            throw new YamlException(_lastEnd, _lastEnd, $"the file is not valid YAML: {ex.Message}", ex);
        }

        ParsingEvent current = _parser.Current!;
        _lastEnd = current.End;
        return current;
    }

    private ParsingEvent StartReplay(AnchorAlias alias)
    {
        string name = alias.Value.Value;
        foreach (Recording open in _recording)
        {
            if (open.Name == name)
            {
                throw new YamlException(alias.Start, alias.End, $"alias '*{name}' stands inside the node it names (a node cannot contain itself)");
            }
        }

        if (!_anchors.TryGetValue(name, out ParsingEvent[]? node))
        {
            throw new YamlException(alias.Start, alias.End, $"alias '*{name}' names no anchor ('&{name}') before it");
        }

        _aliasEvents += node.Length;
        if (_aliasEvents > MaxAliasEvents)
        {
            throw new YamlException(alias.Start, alias.End, $"the aliases repeat more than {MaxAliasEvents} YAML events (aliases of nodes that hold aliases?)");
        }

        Alias = alias;
        _replay = node;
        _replayNext = 1;
        return node[0];
    }

    private void Record(ParsingEvent next)
    {
        for (int i = _recording.Count - 1; i >= 0; i--)
        {
            Recording open = _recording[i];
            open.Events.Add(next);
            open.Depth += next.NestingIncrease;
            if (open.Depth == 0)
            {
                // Nodes nest, so the one that closes is the innermost: the last in the list.
                _anchors[open.Name] = [.. open.Events];
                _recording.RemoveAt(i);
            }
        }
    }

    /// <summary>An anchored node being read: its events so far and how many collections are open in it.</summary>
    private sealed class Recording(string name)
    {
        public string Name { get; } = name;

        public List<ParsingEvent> Events { get; } = [];

        public int Depth { get; set; }
    }
}
