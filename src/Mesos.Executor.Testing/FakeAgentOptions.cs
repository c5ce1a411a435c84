using System;
using System.Collections.Generic;
using Mesos.Executor.Core;
using Mesos.V1;

namespace Mesos.Executor.Testing;

/// <summary>How a <see cref="FakeAgent"/> behaves: who the executor and framework are, what goes into SUBSCRIBED, authentication and acknowledgements.</summary>
public sealed record FakeAgentOptions
{
    /// <summary>The framework id the agent expects in every call (and puts in SUBSCRIBED).</summary>
    /// <value><c>fake-framework-0000</c>.</value>
    public string FrameworkId { get; init; } = "fake-framework-0000";

    /// <summary>The executor id the agent expects in every call.</summary>
    /// <value><c>fake-executor</c>.</value>
    public string ExecutorId { get; init; } = "fake-executor";

    /// <summary>The agent's id (<c>MESOS_SLAVE_ID</c>, <c>AgentInfo.id</c>).</summary>
    /// <value><c>fake-agent-S0</c>.</value>
    public string AgentId { get; init; } = "fake-agent-S0";

    /// <summary>The executor's container id, sent in SUBSCRIBED.</summary>
    /// <value><c>fake-container</c>.</value>
    public string ContainerId { get; init; } = "fake-container";

    /// <summary>The capabilities of the default <c>FrameworkInfo</c> in SUBSCRIBED, e.g. <c>TASK_KILLING_STATE</c>.</summary>
    /// <value>None.</value>
    public IReadOnlyList<FrameworkInfo.Types.Capability.Types.Type> FrameworkCapabilities { get; init; } = [];

    /// <summary>The <c>ExecutorInfo</c> sent in SUBSCRIBED; by default one built from <see cref="ExecutorId"/> and <see cref="FrameworkId"/>.</summary>
    public ExecutorInfo? ExecutorInfo { get; init; }

    /// <summary>The <c>FrameworkInfo</c> sent in SUBSCRIBED; by default one built from <see cref="FrameworkId"/> and <see cref="FrameworkCapabilities"/>.</summary>
    public FrameworkInfo? FrameworkInfo { get; init; }

    /// <summary>The <c>AgentInfo</c> sent in SUBSCRIBED; by default one with host name <c>localhost</c> and <see cref="AgentId"/>.</summary>
    public AgentInfo? AgentInfo { get; init; }

    /// <summary>Whether a SUBSCRIBED event is sent as soon as a SUBSCRIBE is accepted, as a real agent does.</summary>
    /// <value><see langword="true"/>.</value>
    public bool SendSubscribed { get; init; } = true;

    /// <summary>
    /// The encoding of the SUBSCRIBE stream when the executor's <c>Accept</c> allows both. The agent
    /// itself prefers JSON (src/slave/http.cpp).
    /// </summary>
    /// <value><see cref="AgentContentType.Json"/>.</value>
    public AgentContentType PreferredContentType { get; init; } = AgentContentType.Json;

    /// <summary>When set, every request must carry <c>Authorization: Bearer</c> with this token, otherwise it is answered 401.</summary>
    public string? AuthenticationToken { get; init; }

    /// <summary>Whether each accepted UPDATE is acknowledged (an ACKNOWLEDGED event on the stream), as the agent does once it has handled the update.</summary>
    /// <value><see langword="true"/>. Can be changed later with <see cref="FakeAgent.AutoAcknowledge"/>.</value>
    public bool AutoAcknowledge { get; init; } = true;

    /// <summary>How long after accepting an UPDATE the automatic acknowledgement is sent, measured with <see cref="TimeProvider"/>.</summary>
    /// <value><see cref="TimeSpan.Zero"/>: at once, after the 202 response.</value>
    public TimeSpan AcknowledgementDelay { get; init; } = TimeSpan.Zero;

    /// <summary>The TCP port to listen on, on 127.0.0.1.</summary>
    /// <value>0: a free port chosen by the system, kept across <see cref="FakeAgent.RestartAsync"/>.</value>
    public int Port { get; init; }

    /// <summary>A Unix domain socket path to serve the same API on as well (the agent's <c>--domain_socket_location</c>); an existing file there is replaced.</summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>The largest request body accepted, in bytes; larger ones are answered 413.</summary>
    /// <value>16 MiB.</value>
    public int MaxRequestBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The clock for request timestamps and <see cref="AcknowledgementDelay"/>.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
