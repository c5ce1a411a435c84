using System.Collections.Generic;
using Mesos.Executor.Docker.Internal;
using Mesos.Executor.Docker.Internal.FlagValues;
using NUnit.Framework;

namespace Mesos.Executor.Docker.Tests.FlagValues;

/// <summary><see cref="BasicValues"/>: Go's boolean spellings, integers in range, KEY=VALUE and fixed modes.</summary>
[TestFixture]
public sealed class BasicValuesTests
{
    [TestCase("1", true)]
    [TestCase("t", true)]
    [TestCase("True", true)]
    [TestCase("TRUE", true)]
    [TestCase("0", false)]
    [TestCase("F", false)]
    [TestCase("false", false)]
    public void Bool_GoSpelling_Parses(string value, bool expected) =>
        Assert.That(BasicValues.Bool(value), Is.EqualTo(expected));

    [TestCase("yes")]
    [TestCase("tRUE")]
    [TestCase("")]
    public void Bool_OtherSpelling_Throws(string value) =>
        Assert.That(() => BasicValues.Bool(value), Throws.TypeOf<FlagValueException>().With.Message.Contains("boolean"));

    [TestCase("5", 0, 10, 5)]
    [TestCase("-1", -1, 10, -1)]
    [TestCase("+7", 0, 10, 7)]
    public void Int64InRange_InRange_Parses(string value, long min, long max, long expected) =>
        Assert.That(BasicValues.Int64InRange(value, min, max), Is.EqualTo(expected));

    [TestCase("11", "outside 0..10")]
    [TestCase("-1", "outside 0..10")]
    [TestCase("1.5", "not an integer")]
    [TestCase(" 1", "not an integer")]
    public void Int64InRange_Invalid_Throws(string value, string message) =>
        Assert.That(() => BasicValues.Int64InRange(value, 0, 10), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));

    [TestCase("A=1=2", false, "A", "1=2")]
    [TestCase("A=", false, "A", "")]
    [TestCase("flag", true, "flag", "")]
    public void KeyValue_Valid_SplitsAtTheFirstEquals(string value, bool valueOptional, string key, string expected) =>
        Assert.That(BasicValues.KeyValue(value, valueOptional), Is.EqualTo(new KeyValuePair<string, string>(key, expected)));

    [TestCase("flag", false, "not KEY=VALUE")]
    [TestCase("", true, "not KEY=VALUE")]
    [TestCase("=1", true, "empty key")]
    public void KeyValue_Invalid_Throws(string value, bool valueOptional, string message) =>
        Assert.That(() => BasicValues.KeyValue(value, valueOptional), Throws.TypeOf<FlagValueException>().With.Message.Contains(message));

    [Test]
    public void NonEmptyAndAbsolutePath_Invalid_Throw()
    {
        Assert.That(BasicValues.NonEmpty("x"), Is.EqualTo("x"));
        Assert.That(() => BasicValues.NonEmpty(string.Empty), Throws.TypeOf<FlagValueException>());
        Assert.That(BasicValues.AbsolutePath("/app"), Is.EqualTo("/app"));
        Assert.That(() => BasicValues.AbsolutePath("app"), Throws.TypeOf<FlagValueException>().With.Message.Contains("absolute"));
    }

    [TestCase("host", true)]
    [TestCase("container:web", true)]
    [TestCase("container:", false)]
    [TestCase("bridge", false)]
    public void Mode_AllowedOrContainer_ParsesElseListsTheChoices(string value, bool valid)
    {
        if (valid)
        {
            Assert.That(BasicValues.Mode(value, true, "host"), Is.EqualTo(value));
        }
        else
        {
            Assert.That(() => BasicValues.Mode(value, true, "host"), Throws.TypeOf<FlagValueException>().With.Message.Contains("host, container:<name|id>"));
        }
    }

    [Test]
    public void Mode_ContainerNotAllowed_Throws() =>
        Assert.That(() => BasicValues.Mode("container:web", false, "host"), Throws.TypeOf<FlagValueException>());
}
