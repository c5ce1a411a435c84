using System;
using Mesos.Executor.Core.Execution;
using Mesos.V1;
using NUnit.Framework;

namespace Mesos.Executor.Core.Tests.Execution.Units;

[TestFixture]
public sealed class KillGraceTests
{
    private static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    private static KillPolicy Policy(int seconds) => new() { GracePeriod = new DurationInfo { Nanoseconds = seconds * 1_000_000_000L } };

    [TestCase(1, 2, 1)]
    [TestCase(null, 2, 2)]
    [TestCase(null, null, 30)]
    public void Of_KillPolicyThenTaskPolicyThenDefault(int? kill, int? task, int expected)
    {
        var info = new TaskInfo { KillPolicy = task is { } t ? Policy(t) : null };

        Assert.That(KillGrace.Of(info, kill is { } k ? Policy(k) : null, Default), Is.EqualTo(TimeSpan.FromSeconds(expected)));
    }

    [TestCase(5, 10, 3, 8)]
    [TestCase(5, 10, 5, null)]
    [TestCase(5, 10, 9, null)]
    public void Shortened_OnlyEarlierDeadlinesCountedFromTheFirstKill(int start, int deadline, int grace, int? expected)
    {
        DateTimeOffset zero = DateTimeOffset.UnixEpoch;

        DateTimeOffset? result = KillGrace.Shortened(zero.AddSeconds(start), zero.AddSeconds(deadline), TimeSpan.FromSeconds(grace));

        Assert.That(result, Is.EqualTo(expected is { } e ? zero.AddSeconds(e) : (DateTimeOffset?)null));
    }
}
