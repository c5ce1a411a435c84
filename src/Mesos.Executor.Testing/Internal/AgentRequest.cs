using System;

namespace Mesos.Executor.Testing.Internal;

/// <summary>What <see cref="ExecutorApiRules"/> looks at in one HTTP request to the agent.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, without the query.</param>
/// <param name="Authorization">The <c>Authorization</c> header, if any.</param>
/// <param name="ContentType">The <c>Content-Type</c> header exactly as sent, if any.</param>
/// <param name="Accept">The <c>Accept</c> header, if any.</param>
/// <param name="Body">The request body.</param>
internal sealed record AgentRequest(string Method, string Path, string? Authorization, string? ContentType, string? Accept, ReadOnlyMemory<byte> Body);
