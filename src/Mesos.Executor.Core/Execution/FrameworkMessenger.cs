using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Google.Protobuf;
using Mesos.Executor.Core.Agent;
using Mesos.V1.Executor;
using Microsoft.Extensions.Logging;

namespace Mesos.Executor.Core.Execution;

/// <summary>
/// Framework messages both ways: MESSAGE events go to the user's handler one at a time, in arrival
/// order, off the loop (a slow handler never stalls it); the user's messages go out as MESSAGE
/// calls. Used from the executor loop's thread, except the handler's own flow.
/// </summary>
internal sealed class FrameworkMessenger
{
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ExecutorSettings _settings;
    private readonly IAgentTransport _transport;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task>? _handler;
    private readonly LoopFlows _flows;
    private readonly ILogger _logger;

    public FrameworkMessenger(ExecutorSettings settings, IAgentTransport transport, Func<ReadOnlyMemory<byte>, CancellationToken, Task>? handler, LoopFlows flows, ILogger logger)
    {
        _settings = settings;
        _transport = transport;
        _handler = handler;
        _flows = flows;
        _logger = logger;
    }

    /// <summary>Starts the handler's flow, when there is a handler.</summary>
    public void Start()
    {
        if (_handler != null)
        {
            _flows.Track(DispatchAsync(_handler));
        }
    }

    /// <summary>A MESSAGE event arrived.</summary>
    public void Received(Event.Types.Message message)
    {
        if (_handler == null)
        {
            Log.FrameworkMessageDropped(_logger, message.Data?.Length ?? 0);
            return;
        }

        Log.FrameworkMessageReceived(_logger, message.Data?.Length ?? 0);
        _received.Writer.TryWrite(message.Data?.ToByteArray() ?? []);
    }

    /// <summary>Sends the user's message, or fails it when not subscribed.</summary>
    public void Send(SendMessageRequested request, bool subscribed)
    {
        if (!subscribed)
        {
            request.Completion.TrySetException(new AgentApiException(
                "The executor is not subscribed to the agent; the message was not sent.", statusCode: null, isTransient: true));
            return;
        }

        _flows.Track(SendAsync(request));
    }

    /// <summary>No more messages: the handler's flow ends once it handled those received.</summary>
    public void Complete() => _received.Writer.TryComplete();

    private async Task DispatchAsync(Func<ReadOnlyMemory<byte>, CancellationToken, Task> handler)
    {
        await foreach (byte[] data in _received.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await handler(data, _flows.Stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_flows.IsStopping)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.FrameworkMessageHandlerFailed(_logger, ex);
            }
        }
    }

    private async Task SendAsync(SendMessageRequested request)
    {
        var call = new Call
        {
            Type = Call.Types.Type.Message,
            ExecutorId = _settings.ExecutorId,
            FrameworkId = _settings.FrameworkId,
            Message = new Call.Types.Message { Data = ByteString.CopyFrom(request.Data) },
        };

        try
        {
            await _transport.SendAsync(call, _flows.Stopping).ConfigureAwait(false);
            request.Completion.TrySetResult();
        }
        catch (OperationCanceledException ex)
        {
            request.Completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            Log.MessageSendFailed(_logger, ex.Message);
            request.Completion.TrySetException(ex);
        }
    }
}
