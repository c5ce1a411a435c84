using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// Kestrel's side of an agent request: the body and headers read as the rules
/// (<see cref="ExecutorApiRules"/>) and the ledger want them, and a decision written back. No agent
/// state: <see cref="FakeAgent"/> decides under its lock between the two.
/// </summary>
internal static class HttpExchange
{
    /// <summary>Reads the whole request body.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The body, or <see langword="null"/> when there is nothing to answer (the client went away, or Kestrel's own limit answered already).</returns>
    public static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (body larger than MaxRequestBodyBytes: 413).
            context.Response.StatusCode = ex.StatusCode;
            return null;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Every header value, one pair each, as recorded.</summary>
    public static List<KeyValuePair<string, string>> Headers(HttpRequest request)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, StringValues> header in request.Headers)
        {
            foreach (string? value in header.Value)
            {
                headers.Add(new KeyValuePair<string, string>(header.Key, value ?? string.Empty));
            }
        }

        return headers;
    }

    /// <summary>One header's value, or <see langword="null"/>.</summary>
    public static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out StringValues value) ? value.ToString() : null;

    /// <summary>Writes the decision's status, headers and text; a client that went away is not an error.</summary>
    public static async Task WriteAsync(HttpContext context, AgentDecision decision)
    {
        try
        {
            HttpResponse response = context.Response;
            response.StatusCode = (int)decision.Status;
            foreach (KeyValuePair<string, string> header in decision.Headers)
            {
                response.Headers[header.Key] = header.Value;
            }

            if (decision.Text.Length > 0)
            {
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(decision.Text, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                response.ContentLength = 0;
            }

            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away or the agent is stopping.
        }
    }
}
