using System;

namespace Mesos.Executor.Core;

/// <summary>The root of every exception the SDK throws on purpose.</summary>
public class MesosExecutorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MesosExecutorException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public MesosExecutorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public MesosExecutorException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
