namespace Mesos.Executor.Reference.CommandLine;

/// <summary>How a flag's value is read.</summary>
internal enum FlagKind
{
    /// <summary>A string value: <c>--name=value</c> or <c>--name value</c>.</summary>
    Value,

    /// <summary>A boolean: <c>--name</c>, <c>--no-name</c>, <c>--name=true|false</c> or <c>--name true|false</c>.</summary>
    Boolean,
}
