namespace Mesos.Executor.Reference.CommandLine;

/// <summary>A flag the executor knows.</summary>
/// <param name="Name">The name without the leading dashes.</param>
/// <param name="Kind">How its value is read.</param>
/// <param name="Help">One line for <c>--help</c>.</param>
/// <param name="Used">Whether this executor acts on it (the rest are accepted for compatibility and ignored).</param>
internal sealed record FlagDefinition(string Name, FlagKind Kind, string Help, bool Used = true);
