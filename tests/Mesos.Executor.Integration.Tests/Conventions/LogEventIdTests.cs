using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Conventions;

/// <summary>
/// House rule: every log event has an explicit id, ids are unique across the shipped assemblies,
/// and each assembly stays in its range (Core 1000-1999, Docker 2000-2999, Hooks 3000-3999,
/// Testing 5000-5999).
/// </summary>
[TestFixture]
public sealed class LogEventIdTests
{
    private static readonly (string Assembly, int Min, int Max)[] Ranges =
    [
        ("Mesos.Executor.Core", 1000, 1999),
        ("Mesos.Executor.Docker", 2000, 2999),
        ("Mesos.Executor.Hooks", 3000, 3999),
        ("Mesos.Executor.Testing", 5000, 5999),
    ];

    private static IEnumerable<(string Assembly, string Method, LoggerMessageAttribute Attribute)> LogMethods()
    {
        foreach (var (name, _, _) in Ranges)
        {
            var assembly = Assembly.Load(name);
            foreach (var type in assembly.GetTypes())
            {
                foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    var attribute = method.GetCustomAttribute<LoggerMessageAttribute>();
                    if (attribute != null)
                    {
                        yield return (name, $"{type.FullName}.{method.Name}", attribute);
                    }
                }
            }
        }
    }

    [Test]
    public void LoggerMessages_AcrossShippedAssemblies_HaveUniqueIdsAndNames()
    {
        var all = LogMethods().ToList();
        Assert.That(all, Is.Not.Empty);

        var duplicateIds = all.GroupBy(m => m.Attribute.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.That(duplicateIds, Is.Empty, "duplicate event ids");

        var duplicateNames = all.Where(m => m.Attribute.EventName != null)
            .GroupBy(m => m.Attribute.EventName).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.That(duplicateNames, Is.Empty, "duplicate event names");
    }

    [Test]
    public void LoggerMessages_EachAssembly_StaysInItsRangeWithExplicitNames()
    {
        var problems = new List<string>();
        foreach (var (assembly, method, attribute) in LogMethods())
        {
            var (_, min, max) = Ranges.Single(r => r.Assembly == assembly);
            if (attribute.EventId < min || attribute.EventId > max)
            {
                problems.Add($"{method}: id {attribute.EventId} outside {min}-{max}");
            }

            if (string.IsNullOrEmpty(attribute.EventName))
            {
                problems.Add($"{method}: no EventName");
            }
        }

        Assert.That(problems, Is.Empty);
    }
}
