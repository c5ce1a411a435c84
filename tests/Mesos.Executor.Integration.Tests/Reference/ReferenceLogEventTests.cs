using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

/// <summary>The reference executor's log events stay in 4000-4999, with names unique across the whole SDK.</summary>
[TestFixture]
public sealed class ReferenceLogEventTests
{
    private static List<LoggerMessageAttribute> Events(string assembly) =>
        Assembly.Load(assembly).GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

    [Test]
    public void LoggerMessages_OfTheReferenceExecutor_AreInRangeNamedAndUniqueAcrossTheSdk()
    {
        List<LoggerMessageAttribute> reference = Events("mesos-executor");
        var others = new[] { "Mesos.Executor.Core", "Mesos.Executor.Docker", "Mesos.Executor.Hooks", "Mesos.Executor.Testing" }
            .SelectMany(Events).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(reference, Is.Not.Empty);
            Assert.That(reference.Select(e => e.EventId), Has.All.InRange(4000, 4999));
            Assert.That(reference.Select(e => e.EventId), Is.Unique);
            Assert.That(reference.Select(e => e.EventName), Has.None.Null.And.None.Empty);
            Assert.That(reference.Select(e => e.EventName).Intersect(others.Select(e => e.EventName)), Is.Empty);
        });
    }
}
