using System;

namespace Mesos.Executor.Core;

/// <summary>A containerizer operation failed (create, start, stop, exec, ...). The message names the operation and the cause.</summary>
public sealed class ContainerizerException : MesosExecutorException
{
    /// <summary>Creates the exception.</summary>
    public ContainerizerException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ContainerizerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ContainerizerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
