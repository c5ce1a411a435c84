using System;

namespace Mesos.Executor.Core;

/// <summary>A hook failed in one of its phases.</summary>
public sealed class HookFailedException : MesosExecutorException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="hookName">The hook's name.</param>
    /// <param name="phase">The phase it failed in.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HookFailedException(string hookName, HookPhase phase, string message, Exception? innerException = null)
        : base($"hook '{hookName}' failed in {phase}: {message}", innerException)
    {
        HookName = hookName;
        Phase = phase;
    }

    /// <summary>The hook's name.</summary>
    public string HookName { get; }

    /// <summary>The phase it failed in.</summary>
    public HookPhase Phase { get; }
}
