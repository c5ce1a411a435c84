namespace Mesos.Executor.Docker;

/// <summary>When the Docker containerizer pulls a task's image.</summary>
/// <remarks>
/// A task's <c>ContainerInfo.docker.force_pull_image</c> turns <see cref="IfNotPresent"/> and
/// <see cref="Never"/> into <see cref="Always"/> for that task, and a <c>pull</c> parameter
/// (<c>always</c>, <c>missing</c>, <c>never</c>, as <c>docker run --pull</c>) overrides both.
/// </remarks>
public enum PullPolicy
{
    /// <summary>Use the local image; pull only when it is missing (Mesos's default).</summary>
    IfNotPresent = 0,

    /// <summary>Pull before every launch, as Mesos does with <c>force_pull_image</c>.</summary>
    Always = 1,

    /// <summary>Never pull; a missing image fails the task.</summary>
    Never = 2,
}
