namespace Mesos.Executor.Testing.Internal;

/// <summary>What the agent's answer depends on besides the request.</summary>
/// <param name="Options">Who the executor and framework are, the token, the preferred stream type.</param>
/// <param name="Recovering">Whether the agent is still recovering (every request 503).</param>
/// <param name="KnowsSubscribedExecutor">Whether the executor has subscribed before (otherwise calls other than SUBSCRIBE get 403).</param>
internal readonly record struct AgentState(FakeAgentOptions Options, bool Recovering, bool KnowsSubscribedExecutor);
