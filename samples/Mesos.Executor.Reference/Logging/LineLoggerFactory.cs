using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Logging;

/// <summary>
/// A deliberately tiny logger: one line per event on a stream (stderr, which belongs to the agent's
/// container logger), as text or JSON. Each line is written with one call and flushed; the host
/// passes a synchronized stream that the containers' stderr shares, so neither cuts into the
/// other. Microsoft.Extensions.Logging.Console would cost megabytes of binary and memory in a
/// NativeAOT executor whose budget is 32 MB.
/// </summary>
internal sealed class LineLoggerFactory : ILoggerFactory
{
    private readonly Stream _output;
    private readonly TimeProvider _timeProvider;
    private readonly LoggerExternalScopeProvider _scopes = new();
    private readonly object _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly StringBuilder _text = new(256);
    private bool _disposed;

    /// <summary>Creates the factory.</summary>
    /// <param name="output">Where lines go; not disposed by the factory.</param>
    /// <param name="minimumLevel">Events below this level are dropped; <see cref="LogLevel.None"/> drops everything.</param>
    /// <param name="format">Text or JSON.</param>
    /// <param name="timeProvider">The clock for time stamps.</param>
    public LineLoggerFactory(Stream output, LogLevel minimumLevel, LogFormat format, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        MinimumLevel = minimumLevel;
        Format = format;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The lowest level written.</summary>
    public LogLevel MinimumLevel { get; }

    /// <summary>The line format.</summary>
    public LogFormat Format { get; }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: this factory has exactly one sink.</exception>
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("LineLoggerFactory writes to one stream and takes no providers.");

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _output.Flush();
            }
        }
    }

    internal bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= MinimumLevel;

    internal IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _scopes.Push(state);

    internal void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string message = formatter(state, exception);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _buffer.Clear();
            if (Format == LogFormat.Json)
            {
                WriteJson(now, category, level, eventId, state, message, exception);
            }
            else
            {
                WriteText(now, category, level, message, exception);
            }

            try
            {
                _output.Write(_buffer.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // stderr is gone (the agent closed the pipe): nothing sensible to do with a log line.
            }
        }
    }

    private void WriteText(DateTimeOffset now, string category, LogLevel level, string message, Exception? exception)
    {
        StringBuilder text = _text.Clear();
        text.Append(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(LevelName(level).PadRight(5))
            .Append(" [").Append(category).Append("] ");
        AppendOneLine(text, message);

        bool first = true;
        _scopes.ForEachScope(
            (scope, builder) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var pair in pairs)
                    {
                        if (pair.Key == "{OriginalFormat}")
                        {
                            continue;
                        }

                        builder.Append(first ? " {" : ", ").Append(pair.Key).Append('=');
                        AppendOneLine(builder, Convert.ToString(pair.Value, CultureInfo.InvariantCulture) ?? string.Empty);
                        first = false;
                    }
                }
                else if (scope != null)
                {
                    builder.Append(first ? " {" : ", ").Append("Scope=");
                    AppendOneLine(builder, Convert.ToString(scope, CultureInfo.InvariantCulture) ?? string.Empty);
                    first = false;
                }
            },
            text);
        if (!first)
        {
            text.Append('}');
        }

        for (Exception? e = exception; e != null; e = e.InnerException)
        {
            text.Append(e == exception ? " exception=" : " --> ").Append(e.GetType().Name).Append(": ");
            AppendOneLine(text, e.Message);
        }

        text.Append('\n');
        int count = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> span = _buffer.GetSpan(count);
        int written = 0;
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            written += Encoding.UTF8.GetBytes(chunk.Span, span[written..]);
        }

        _buffer.Advance(written);
    }

    private void WriteJson<TState>(DateTimeOffset now, string category, LogLevel level, EventId eventId, TState state, string message, Exception? exception)
    {
        using (var json = new Utf8JsonWriter(_buffer))
        {
            var names = new HashSet<string>(StringComparer.Ordinal) { "time", "level", "category", "event_id", "event", "message", "exception" };
            json.WriteStartObject();
            json.WriteString("time", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", LevelName(level).ToLowerInvariant());
            json.WriteString("category", category);
            if (eventId.Id != 0)
            {
                json.WriteNumber("event_id", eventId.Id);
            }

            if (!string.IsNullOrEmpty(eventId.Name))
            {
                json.WriteString("event", eventId.Name);
            }

            json.WriteString("message", message);
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var pair in properties)
                {
                    WriteProperty(json, names, pair.Key, pair.Value);
                }
            }

            _scopes.ForEachScope(
                (scope, writer) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            WriteProperty(writer, names, pair.Key, pair.Value);
                        }
                    }
                    else if (scope != null)
                    {
                        WriteProperty(writer, names, "scope", Convert.ToString(scope, CultureInfo.InvariantCulture));
                    }
                },
                json);

            if (exception != null)
            {
                var text = new StringBuilder();
                for (Exception? e = exception; e != null; e = e.InnerException)
                {
                    text.Append(e == exception ? string.Empty : " --> ").Append(e.GetType().Name).Append(": ").Append(e.Message);
                }

                json.WriteString("exception", text.ToString());
            }

            json.WriteEndObject();
        }

        _buffer.Write("\n"u8);
    }

    private static void WriteProperty(Utf8JsonWriter json, HashSet<string> names, string name, object? value)
    {
        if (name == "{OriginalFormat}" || !names.Add(name))
        {
            return;
        }

        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case int i:
                json.WriteNumber(name, i);
                break;
            case long l:
                json.WriteNumber(name, l);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(name, d);
                break;
            case TimeSpan t:
                json.WriteNumber(name, t.TotalSeconds);
                break;
            default:
                json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void AppendOneLine(StringBuilder builder, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRIT",
        _ => "NONE",
    };
}
