using System;

namespace Mesos.Executor.Core;

/// <summary>A RecordIO stream from the agent is malformed: a bad length prefix, a record over the size limit, or a stream cut inside a record.</summary>
public sealed class RecordIOFormatException : MesosExecutorException
{
    /// <summary>Creates the exception.</summary>
    public RecordIOFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RecordIOFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RecordIOFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
