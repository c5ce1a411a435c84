using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Mesos.Executor.Core.Execution;
using Mesos.Executor.Reference.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace Mesos.Executor.Integration.Tests.Reference;

[TestFixture]
public sealed class LineLoggerFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 1, 2, 3, 456, TimeSpan.Zero);

    private static (LineLoggerFactory Factory, MemoryStream Output) Create(LogLevel level, LogFormat format)
    {
        var output = new MemoryStream();
        var factory = new LineLoggerFactory(output, level, format, new FakeTimeProvider(Now));
        return (factory, output);
    }

    private static string[] Lines(MemoryStream output) =>
        Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void Log_TextFormat_WritesOneLineWithTimeLevelCategoryMessageAndScope()
    {
        var (factory, output) = Create(LogLevel.Information, LogFormat.Text);
        using (factory)
        {
            ILogger logger = factory.CreateLogger("Mesos.Executor.Core.Test");
            using (logger.BeginScope(new Dictionary<string, object?> { ["TaskId"] = "t1", ["ContainerId"] = "abcdef123456" }))
            {
                logger.LogInformation("Task {State}", "TASK_RUNNING");
            }
        }

        Assert.That(Lines(output), Is.EqualTo(new[]
        {
            "2026-11-25T01:02:03.456Z INFO  [Mesos.Executor.Core.Test] Task TASK_RUNNING {TaskId=t1, ContainerId=abcdef123456}",
        }));
    }

    [Test]
    public void Log_BelowTheMinimumLevel_WritesNothing()
    {
        var (factory, output) = Create(LogLevel.Warning, LogFormat.Text);
        using (factory)
        {
            ILogger logger = factory.CreateLogger("c");
            logger.LogInformation("hidden");
            logger.LogDebug("hidden");
            logger.LogWarning("shown");
            Assert.That(logger.IsEnabled(LogLevel.Information), Is.False);
        }

        Assert.That(Lines(output), Has.Length.EqualTo(1).And.One.Contains("WARN  [c] shown"));
    }

    [Test]
    public void Log_LevelNone_WritesNothingAtAll()
    {
        var (factory, output) = Create(LogLevel.None, LogFormat.Text);
        using (factory)
        {
            factory.CreateLogger("c").LogCritical("hidden");
        }

        Assert.That(output.Length, Is.Zero);
    }

    [Test]
    public void Log_MultiLineMessageAndException_StayOnOneLine()
    {
        var (factory, output) = Create(LogLevel.Information, LogFormat.Text);
        using (factory)
        {
            var ex = new InvalidOperationException("outer\nproblem", new IOException("inner"));
            factory.CreateLogger("c").LogError(ex, "first\nsecond");
        }

        string[] lines = Lines(output);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.EndWith("first\\nsecond exception=InvalidOperationException: outer\\nproblem --> IOException: inner"));
    }

    [Test]
    public void Log_JsonFormat_WritesOneObjectPerLineWithStateAndScopeProperties()
    {
        var (factory, output) = Create(LogLevel.Debug, LogFormat.Json);
        using (factory)
        {
            ILogger logger = factory.CreateLogger("cat");
            using (logger.BeginScope(new Dictionary<string, object?> { ["TaskId"] = "t\"1" }))
            {
                logger.Log(LogLevel.Warning, new EventId(1234, "SomethingHappened"), "Retry {Attempt} after {Reason}", 3, "503");
            }
        }

        string[] lines = Lines(output);
        Assert.That(lines, Has.Length.EqualTo(1));
        using JsonDocument json = JsonDocument.Parse(lines[0]);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("time").GetString(), Is.EqualTo("2026-11-25T01:02:03.456Z"));
            Assert.That(root.GetProperty("level").GetString(), Is.EqualTo("warn"));
            Assert.That(root.GetProperty("category").GetString(), Is.EqualTo("cat"));
            Assert.That(root.GetProperty("event_id").GetInt32(), Is.EqualTo(1234));
            Assert.That(root.GetProperty("event").GetString(), Is.EqualTo("SomethingHappened"));
            Assert.That(root.GetProperty("message").GetString(), Is.EqualTo("Retry 3 after 503"));
            Assert.That(root.GetProperty("Attempt").GetInt32(), Is.EqualTo(3));
            Assert.That(root.GetProperty("Reason").GetString(), Is.EqualTo("503"));
            Assert.That(root.GetProperty("TaskId").GetString(), Is.EqualTo("t\"1"));
            Assert.That(root.TryGetProperty("{OriginalFormat}", out _), Is.False);
        });
    }

    [Test]
    public void Log_InsideTheExecutorsTaskScope_TextAndJsonCarryTaskIdAndContainerId()
    {
        // The scope Core opens around a task's work (runner, containerizer, hooks, checks, updates).
        TaskLogScope scope = new TaskLogScope("web-1").WithContainer("bfa7ca01637c9d2e");
        var (text, textOutput) = Create(LogLevel.Information, LogFormat.Text);
        var (json, jsonOutput) = Create(LogLevel.Information, LogFormat.Json);
        foreach (LineLoggerFactory factory in new[] { text, json })
        {
            using (factory)
            {
                ILogger logger = factory.CreateLogger("Mesos.Executor.Docker.DockerContainerizer");
                using (logger.BeginScope(scope))
                {
                    logger.LogInformation("Pulled image {Image}", "busybox:1");
                }
            }
        }

        Assert.That(Lines(textOutput), Is.EqualTo(new[]
        {
            "2026-11-25T01:02:03.456Z INFO  [Mesos.Executor.Docker.DockerContainerizer] Pulled image busybox:1 {TaskId=web-1, ContainerId=bfa7ca01637c}",
        }));
        using JsonDocument document = JsonDocument.Parse(Lines(jsonOutput)[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.RootElement.GetProperty("TaskId").GetString(), Is.EqualTo("web-1"));
            Assert.That(document.RootElement.GetProperty("ContainerId").GetString(), Is.EqualTo("bfa7ca01637c"));
            Assert.That(document.RootElement.GetProperty("Image").GetString(), Is.EqualTo("busybox:1"));
        }
    }

    [Test]
    public void AddProvider_Always_IsNotSupported()
    {
        var (factory, _) = Create(LogLevel.Information, LogFormat.Text);
        using (factory)
        {
            Assert.Throws<NotSupportedException>(() => factory.AddProvider(null!));
        }
    }
}
