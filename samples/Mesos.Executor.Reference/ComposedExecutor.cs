using System;
using System.Threading.Tasks;
using Mesos.Executor.Core;

namespace Mesos.Executor.Reference;

/// <summary>The composed executor and the containerizer it runs tasks with (disposed after it).</summary>
internal sealed class ComposedExecutor : IAsyncDisposable
{
    private readonly object _containerizer;

    /// <summary>Creates the pair.</summary>
    /// <param name="executor">The executor.</param>
    /// <param name="containerizer">Its containerizer (disposed if disposable).</param>
    public ComposedExecutor(MesosExecutor executor, IContainerizer containerizer)
    {
        Executor = executor;
        _containerizer = containerizer;
    }

    /// <summary>The executor.</summary>
    public MesosExecutor Executor { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Executor.DisposeAsync();
        switch (_containerizer)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
