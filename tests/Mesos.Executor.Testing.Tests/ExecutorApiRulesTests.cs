using System;
using System.Linq;
using System.Net;
using Mesos.Executor.Core;
using Mesos.Executor.Core.Agent;
using Mesos.Executor.Testing.Internal;
using Mesos.V1;
using Mesos.V1.Executor;
using NUnit.Framework;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Mesos.Executor.Testing.Tests;

/// <summary>
/// The agent's request rules, one by one and in the agent's order, as Apache Mesos states them in
/// src/slave/http.cpp (<c>Http::executor</c>) and src/common/validation.cpp
/// (<c>validateExecutorCall</c>): no server, no state but the inputs.
/// </summary>
[TestFixture]
public sealed class ExecutorApiRulesTests
{
    private static readonly FakeAgentOptions Options = new();
    private static readonly AgentState Subscribed = new(Options, Recovering: false, KnowsSubscribedExecutor: true);
    private static readonly AgentState New = new(Options, Recovering: false, KnowsSubscribedExecutor: false);

    private static Call NewCall(Call.Types.Type type, string? frameworkId = null, string? executorId = null) => new()
    {
        Type = type,
        FrameworkId = new FrameworkID { Value = frameworkId ?? Options.FrameworkId },
        ExecutorId = new ExecutorID { Value = executorId ?? Options.ExecutorId },
    };

    private static Call Subscribe() => With(NewCall(Call.Types.Type.Subscribe), c => c.Subscribe = new Call.Types.Subscribe());

    private static Call Update(Action<TaskStatus>? spoil = null)
    {
        var status = new TaskStatus
        {
            TaskId = new TaskID { Value = "t1" },
            State = TaskState.TaskRunning,
            Source = TaskStatus.Types.Source.Executor,
            Uuid = Google.Protobuf.ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true)),
        };
        spoil?.Invoke(status);
        return With(NewCall(Call.Types.Type.Update), c => c.Update = new Call.Types.Update { Status = status });
    }

    private static Call With(Call call, Action<Call> change)
    {
        change(call);
        return call;
    }

    private static AgentRequest Post(Call call, string? accept = null, string contentType = "application/x-protobuf", string path = ExecutorApiRules.ExecutorApiPath, string method = "POST", string? authorization = null) =>
        new(method, path, authorization, contentType, accept, MesosCodec.EncodeCall(call, contentType == "application/json" ? AgentContentType.Json : AgentContentType.Protobuf));

    [TestCase("/api/v1/scheduler", HttpStatusCode.NotFound)]
    [TestCase("/api/v1/executor", HttpStatusCode.OK)]
    [TestCase("/slave(1)/api/v1/executor", HttpStatusCode.OK)]
    public void Decide_Path_OnlyTheExecutorEndpoint(string path, HttpStatusCode expected)
    {
        Assert.That(ExecutorApiRules.Decide(Post(Subscribe(), path: path), New).Status, Is.EqualTo(expected));
    }

    [TestCase(null, HttpStatusCode.Unauthorized)]
    [TestCase("Bearer other", HttpStatusCode.Unauthorized)]
    [TestCase("bearer tok", HttpStatusCode.Unauthorized)]
    [TestCase("Bearer tok", HttpStatusCode.OK)]
    public void Decide_TokenRequired_NeedsExactBearer(string? authorization, HttpStatusCode expected)
    {
        var state = New with { Options = Options with { AuthenticationToken = "tok" } };

        AgentDecision decision = ExecutorApiRules.Decide(Post(Subscribe(), authorization: authorization), state);

        Assert.That(decision.Status, Is.EqualTo(expected));
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.That(decision.Headers.Select(h => h.Key), Is.EqualTo(new[] { "WWW-Authenticate" }));
        }
    }

    [Test]
    public void Decide_Recovering_Is503BeforeMethodAndBody()
    {
        // http.cpp: the recovery check comes first, so even a GET without a body gets 503.
        var request = new AgentRequest("GET", ExecutorApiRules.ExecutorApiPath, null, null, null, Array.Empty<byte>());

        AgentDecision decision = ExecutorApiRules.Decide(request, New with { Recovering = true });

        Assert.That((decision.Status, decision.Text), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "Agent has not finished recovery")));
    }

    [Test]
    public void Decide_NotPost_Is405WithAllow()
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Subscribe(), method: "PUT"), New);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(decision.Headers.Single(), Is.EqualTo(new System.Collections.Generic.KeyValuePair<string, string>("Allow", "POST")));
        });
    }

    [Test]
    public void Decide_NoContentType_Is400()
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Subscribe()) with { ContentType = null }, New);

        Assert.That((decision.Status, decision.Text), Is.EqualTo((HttpStatusCode.BadRequest, "Expecting 'Content-Type' to be present")));
    }

    [TestCase("application/x-protobuf; charset=utf-8")]
    [TestCase("Application/JSON")]
    [TestCase("text/plain")]
    public void Decide_ContentTypeNotExactlyOneOfTheTwo_Is415(string contentType)
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Subscribe()) with { ContentType = contentType }, New);

        Assert.That(decision.Status, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [Test]
    public void Decide_ProtobufThatDoesNotParse_Is400()
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Subscribe()) with { Body = new byte[] { 0xff, 0xff, 0xff } }, New);

        Assert.That((decision.Status, decision.Text), Is.EqualTo((HttpStatusCode.BadRequest, "Failed to parse body into Call protobuf")));
    }

    [Test]
    public void Decide_InvalidCall_Is400BeforeTheAcceptCheck()
    {
        // validateExecutorCall runs before Accept is looked at.
        Call call = NewCall(Call.Types.Type.Subscribe);

        AgentDecision decision = ExecutorApiRules.Decide(Post(call, accept: "text/html"), New);

        Assert.That((decision.Status, decision.Text), Is.EqualTo((HttpStatusCode.BadRequest, "Failed to validate Executor::Call: Expecting 'subscribe' to be present")));
    }

    [TestCase(null, AgentContentType.Json)]
    [TestCase("*/*", AgentContentType.Json)]
    [TestCase("application/x-protobuf", AgentContentType.Protobuf)]
    [TestCase("application/json;q=0, application/x-protobuf", AgentContentType.Protobuf)]
    public void Decide_SubscribeAccept_JsonPreferredLikeTheAgent(string? accept, AgentContentType expected)
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Subscribe(), accept: accept), New);

        Assert.That((decision.Status, decision.SubscribeEventType), Is.EqualTo((HttpStatusCode.OK, (AgentContentType?)expected)));
    }

    [Test]
    public void Decide_SubscribeAcceptingNeither_Is406()
    {
        Assert.That(ExecutorApiRules.Decide(Post(Subscribe(), accept: "text/html"), New).Status, Is.EqualTo(HttpStatusCode.NotAcceptable));
    }

    [Test]
    public void Decide_HeartbeatWithUnknownIds_Is202BeforeTheIdChecks()
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(NewCall(Call.Types.Type.Heartbeat, "nobody", "nothing")), New);

        Assert.That(decision.Status, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [TestCase("other-framework", null, "Framework cannot be found")]
    [TestCase(null, "other-executor", "Executor cannot be found")]
    public void Decide_UnknownFrameworkOrExecutor_Is400BeforeTheSubscriptionCheck(string? frameworkId, string? executorId, string text)
    {
        Call call = Update();
        call.FrameworkId.Value = frameworkId ?? Options.FrameworkId;
        call.ExecutorId.Value = executorId ?? Options.ExecutorId;

        AgentDecision decision = ExecutorApiRules.Decide(Post(call), New);

        Assert.That((decision.Status, decision.Text), Is.EqualTo((HttpStatusCode.BadRequest, text)));
    }

    [Test]
    public void Decide_UpdateBeforeAnySubscribe_Is403()
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Update()), New);

        Assert.That((decision.Status, decision.Text), Is.EqualTo((HttpStatusCode.Forbidden, "Executor is not subscribed")));
    }

    [Test]
    public void Decide_UpdateAndMessageOnceSubscribed_Are202WithTheCall()
    {
        Call message = With(NewCall(Call.Types.Type.Message), c => c.Message = new Call.Types.Message { Data = Google.Protobuf.ByteString.CopyFromUtf8("m") });

        AgentDecision update = ExecutorApiRules.Decide(Post(Update(), contentType: "application/json"), Subscribed);
        AgentDecision accepted = ExecutorApiRules.Decide(Post(message), Subscribed);

        Assert.Multiple(() =>
        {
            Assert.That(update.Status, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(update.ContentType, Is.EqualTo(AgentContentType.Json));
            Assert.That(update.Call?.Type, Is.EqualTo(Call.Types.Type.Update));
            Assert.That(accepted.Status, Is.EqualTo(HttpStatusCode.Accepted));
        });
    }

    [TestCase(TaskState.TaskStaging, TaskStatus.Types.Source.Executor, "TASK_STAGING")]
    [TestCase(TaskState.TaskRunning, TaskStatus.Types.Source.Agent, "SOURCE_EXECUTOR")]
    public void Decide_UpdateTheAgentRefuses_Is400WithTheReason(TaskState state, TaskStatus.Types.Source source, string reason)
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(Update(s => { s.State = state; s.Source = source; })), Subscribed);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(decision.Text, Does.StartWith("Failed to validate Executor::Call: ").And.Contain(reason));
        });
    }

    [Test]
    public void Decide_UnknownCallType_Is501()
    {
        AgentDecision decision = ExecutorApiRules.Decide(Post(NewCall(Call.Types.Type.Unknown)), Subscribed);

        Assert.That(decision.Status, Is.EqualTo(HttpStatusCode.NotImplemented));
    }
}
