using System;

namespace Mesos.Executor.Docker.Internal;

/// <summary>A <c>docker run</c> flag value could not be parsed; the mapping adds the flag's name.</summary>
internal sealed class FlagValueException : Exception
{
    public FlagValueException()
    {
    }

    public FlagValueException(string message)
        : base(message)
    {
    }

    public FlagValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
