using System;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Linux capabilities (<c>--cap-add</c>, <c>--cap-drop</c>).
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class CapabilityValues
{
    /// <summary>Linux capability name, with or without <c>CAP_</c>, or <c>ALL</c>.</summary>
    public static string Capability(string value) =>
        TextPatterns.IsCapabilityName(value) ? value : throw new FlagValueException($"'{value}' is not a capability name");
}
