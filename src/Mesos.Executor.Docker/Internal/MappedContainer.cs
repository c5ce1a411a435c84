using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal;

/// <summary>The result of <see cref="ContainerMapping.Map"/>.</summary>
/// <param name="Parameters">What to send to <c>POST /containers/create</c> (the name included).</param>
/// <param name="Image">The image as the task names it.</param>
/// <param name="Pull">When to pull it, after <c>force_pull_image</c> and the <c>pull</c> parameter.</param>
internal sealed record MappedContainer(CreateContainerParameters Parameters, string Image, PullPolicy Pull);
