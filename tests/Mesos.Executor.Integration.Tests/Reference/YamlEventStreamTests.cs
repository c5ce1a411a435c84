using System.Collections.Generic;
using Mesos.Executor.Reference.Configuration;
using NUnit.Framework;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class YamlEventStreamTests
{
    /// <summary>The events up to the end of the stream, each as "Type value" and whether it came through an alias.</summary>
    private static List<string> ReadAll(string yaml)
    {
        var stream = new YamlEventStream(yaml);
        var events = new List<string>();
        for (ParsingEvent next = stream.Next(); next is not StreamEnd; next = stream.Next())
        {
            string text = next switch
            {
                Scalar scalar => scalar.Value,
                MappingStart => "{",
                MappingEnd => "}",
                SequenceStart => "[",
                SequenceEnd => "]",
                _ => string.Empty,
            };
            if (text.Length > 0)
            {
                events.Add(stream.Alias == null ? text : text + " (*" + stream.Alias.Value.Value + ")");
            }
        }

        return events;
    }

    [Test]
    public void Next_Alias_RepeatsTheAnchoredNodeWhole()
    {
        Assert.That(
            ReadAll("a: &x [b, {c: d}]\ne: *x\nf: g\n"),
            Is.EqualTo(new[] { "{", "a", "[", "b", "{", "c", "d", "}", "]", "e", "[ (*x)", "b (*x)", "{ (*x)", "c (*x)", "d (*x)", "} (*x)", "] (*x)", "f", "g", "}" }));
    }

    [Test]
    public void Next_AliasOfAScalar_IsTheScalar()
    {
        Assert.That(ReadAll("a: &x b\nc: *x\n"), Is.EqualTo(new[] { "{", "a", "b", "c", "b (*x)", "}" }));
    }

    [Test]
    public void Next_AliasInsideAnAnchoredNode_IsRepeatedWithIt()
    {
        Assert.That(
            ReadAll("a: &x b\nc: &y [*x, d]\ne: *y\n"),
            Is.EqualTo(new[] { "{", "a", "b", "c", "[", "b (*x)", "d", "]", "e", "[ (*y)", "b (*y)", "d (*y)", "] (*y)", "}" }));
    }

    [Test]
    public void Next_AnchorInsideARepeatedNode_IsNotDefinedAgain()
    {
        // The alias is the node (with "&in 1"), not a new occurrence: *in still names "2".
        Assert.That(
            ReadAll("a: &out [&in 1]\nb: &in 2\nc: *out\nd: *in\n"),
            Is.EqualTo(new[] { "{", "a", "[", "1", "]", "b", "2", "c", "[ (*out)", "1 (*out)", "] (*out)", "d", "2 (*in)", "}" }));
    }

    [Test]
    public void Next_AnchorDefinedAgain_NamesTheLatestNode()
    {
        Assert.That(ReadAll("a: &x 1\nb: &x 2\nc: *x\n"), Is.EqualTo(new[] { "{", "a", "1", "b", "2", "c", "2 (*x)", "}" }));
    }

    [Test]
    public void Next_AliasesBeyondTheLimit_Fail()
    {
        // One alias of a list of MaxAliasEvents - 1 entries (plus its start and end) is too many.
        string entries = string.Join(", ", System.Linq.Enumerable.Repeat("x", YamlEventStream.MaxAliasEvents - 1));
        var stream = new YamlEventStream("a: &x [" + entries + "]\nb: *x\n");

        var ex = Assert.Throws<YamlException>(() =>
        {
            while (stream.Next() is not StreamEnd)
            {
            }
        });

        Assert.That(ex!.Start.Line, Is.EqualTo(2));
        Assert.That(ReadAll("a: &x [" + entries[3..] + "]\nb: *x\n"), Has.Count.EqualTo(2 * (YamlEventStream.MaxAliasEvents - 2 + 2) + 4));
    }
}
