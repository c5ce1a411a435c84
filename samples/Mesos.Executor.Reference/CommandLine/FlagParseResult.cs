using System;
using System.Collections.Generic;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>What <see cref="FlagParser"/> found.</summary>
internal sealed class FlagParseResult
{
    /// <summary>Known flags and their values (booleans as <c>true</c>/<c>false</c>); the last occurrence wins.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of unknown flags (ignored).</summary>
    public List<string> Unknown { get; } = [];

    /// <summary>Arguments that are not flags.</summary>
    public List<string> Positional { get; } = [];

    /// <summary>Problems worth a warning (unknown flags, repeated flags).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Problems that stop the executor (a flag without its value, a bad boolean).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Returns a flag's value, or <see langword="null"/> when it was not given.</summary>
    /// <param name="name">The flag's name.</param>
    /// <returns>The value or <see langword="null"/>.</returns>
    public string? Get(string name) => Values.TryGetValue(name, out var value) ? value : null;

    /// <summary>Returns a boolean flag's value, or <see langword="null"/> when it was not given.</summary>
    /// <param name="name">The flag's name.</param>
    /// <returns>The value or <see langword="null"/>.</returns>
    public bool? GetBoolean(string name) => Values.TryGetValue(name, out var value) ? value == "true" : null;
}
