using System;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Reference.Logging;

/// <summary>One category's logger; <see cref="LineLoggerFactory"/> does the writing.</summary>
internal sealed class LineLogger : ILogger
{
    private readonly LineLoggerFactory _factory;
    private readonly string _category;

    /// <summary>Creates the logger.</summary>
    /// <param name="factory">The factory that writes lines.</param>
    /// <param name="category">The category name.</param>
    public LineLogger(LineLoggerFactory factory, string category)
    {
        _factory = factory;
        _category = category;
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _factory.BeginScope(state);

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => _factory.IsEnabled(logLevel);

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (_factory.IsEnabled(logLevel))
        {
            _factory.Write(_category, logLevel, eventId, state, exception, formatter);
        }
    }
}
