using System;
using System.IO;
using System.Net;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.V1.Executor;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// How the agent answers a request to its executor endpoint, in the agent's order
/// (src/slave/http.cpp, <c>Http::executor</c>): path (404), authentication (401), recovery (503),
/// method (405), <c>Content-Type</c> (400 when missing, 415 unless exactly one of the two media
/// types), decoding (400), call validation (400, src/common/validation.cpp via
/// <see cref="ExecutorCallValidator"/>), <c>Accept</c> for SUBSCRIBE (406; JSON preferred by the
/// agent), HEARTBEAT accepted before the id checks, framework and executor ids (400), subscription
/// (403). A pure function of the request and the agent's state: it records nothing.
/// </summary>
internal static class ExecutorApiRules
{
    /// <summary>The executor API's path.</summary>
    public const string ExecutorApiPath = "/api/v1/executor";

    /// <summary>The same endpoint under the agent's libprocess id, as some clients address it.</summary>
    public const string PidExecutorApiPath = "/slave(1)/api/v1/executor";

    /// <summary>Decides the answer.</summary>
    /// <param name="request">The request.</param>
    /// <param name="state">The agent's state.</param>
    /// <returns>The answer.</returns>
    public static AgentDecision Decide(AgentRequest request, AgentState state)
    {
        ArgumentNullException.ThrowIfNull(request);
        FakeAgentOptions options = state.Options;
        if (request.Path != ExecutorApiPath && request.Path != PidExecutorApiPath)
        {
            return new AgentDecision(HttpStatusCode.NotFound, string.Empty);
        }

        if (options.AuthenticationToken != null &&
            !string.Equals(request.Authorization, "Bearer " + options.AuthenticationToken, StringComparison.Ordinal))
        {
            return new AgentDecision(HttpStatusCode.Unauthorized, string.Empty)
            {
                Headers = [new("WWW-Authenticate", "Bearer realm=\"mesos-agent-executor\"")],
            };
        }

        if (state.Recovering)
        {
            return new AgentDecision(HttpStatusCode.ServiceUnavailable, "Agent has not finished recovery");
        }

        if (request.Method != "POST")
        {
            return new AgentDecision(HttpStatusCode.MethodNotAllowed, $"Expecting one of {{ 'POST' }}, but received '{request.Method}'")
            {
                Headers = [new("Allow", "POST")],
            };
        }

        if (request.ContentType == null)
        {
            return new AgentDecision(HttpStatusCode.BadRequest, "Expecting 'Content-Type' to be present");
        }

        AgentContentType contentType;
        if (request.ContentType == MesosCodec.MediaType(AgentContentType.Protobuf))
        {
            contentType = AgentContentType.Protobuf;
        }
        else if (request.ContentType == MesosCodec.MediaType(AgentContentType.Json))
        {
            contentType = AgentContentType.Json;
        }
        else
        {
            return new AgentDecision(HttpStatusCode.UnsupportedMediaType, "Expecting 'Content-Type' of application/json or application/x-protobuf");
        }

        Call call;
        try
        {
            call = MesosCodec.DecodeCall(request.Body.Span, contentType);
        }
        catch (InvalidDataException ex)
        {
            string text = contentType == AgentContentType.Protobuf
                ? "Failed to parse body into Call protobuf"
                : "Failed to convert JSON into Call protobuf: " + ex.Message;
            return new AgentDecision(HttpStatusCode.BadRequest, text) { ContentType = contentType };
        }

        string? invalid = ExecutorCallValidator.Validate(call);
        if (invalid != null)
        {
            return new AgentDecision(HttpStatusCode.BadRequest, "Failed to validate Executor::Call: " + invalid) { Call = call, ContentType = contentType };
        }

        AgentContentType? eventType = null;
        if (call.Type == Call.Types.Type.Subscribe)
        {
            AgentContentType preferred = options.PreferredContentType;
            AgentContentType other = preferred == AgentContentType.Json ? AgentContentType.Protobuf : AgentContentType.Json;
            if (AcceptHeader.Allows(request.Accept, MesosCodec.MediaType(preferred)))
            {
                eventType = preferred;
            }
            else if (AcceptHeader.Allows(request.Accept, MesosCodec.MediaType(other)))
            {
                eventType = other;
            }
            else
            {
                return new AgentDecision(HttpStatusCode.NotAcceptable, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'") { Call = call, ContentType = contentType };
            }
        }
        else if (call.Type == Call.Types.Type.Heartbeat)
        {
            // Accepted before the id checks: the reference client may send placeholder ids.
            return new AgentDecision(HttpStatusCode.Accepted, string.Empty) { Call = call, ContentType = contentType };
        }

        if (call.FrameworkId.Value != options.FrameworkId)
        {
            return new AgentDecision(HttpStatusCode.BadRequest, "Framework cannot be found") { Call = call, ContentType = contentType };
        }

        if (call.ExecutorId.Value != options.ExecutorId)
        {
            return new AgentDecision(HttpStatusCode.BadRequest, "Executor cannot be found") { Call = call, ContentType = contentType };
        }

        if (!state.KnowsSubscribedExecutor && call.Type != Call.Types.Type.Subscribe)
        {
            return new AgentDecision(HttpStatusCode.Forbidden, "Executor is not subscribed") { Call = call, ContentType = contentType };
        }

        return call.Type switch
        {
            Call.Types.Type.Subscribe => new AgentDecision(HttpStatusCode.OK, string.Empty) { Call = call, ContentType = contentType, SubscribeEventType = eventType },
            Call.Types.Type.Update or Call.Types.Type.Message => new AgentDecision(HttpStatusCode.Accepted, string.Empty) { Call = call, ContentType = contentType },
            _ => new AgentDecision(HttpStatusCode.NotImplemented, string.Empty) { Call = call, ContentType = contentType },
        };
    }
}
