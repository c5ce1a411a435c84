using System;

namespace Mesos.Executor.Core;

/// <summary>The executor's configuration (environment, options, config file) is invalid. The message lists every problem.</summary>
public sealed class ExecutorConfigurationException : MesosExecutorException
{
    /// <summary>Creates the exception.</summary>
    public ExecutorConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ExecutorConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ExecutorConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
