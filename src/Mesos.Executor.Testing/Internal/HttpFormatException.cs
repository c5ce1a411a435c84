using System;

namespace Mesos.Executor.Testing.Internal;

/// <summary>A request could not be parsed; the connection is answered with <see cref="StatusCode"/> and closed.</summary>
internal sealed class HttpFormatException : Exception
{
    public HttpFormatException()
    {
    }

    public HttpFormatException(string message)
        : base(message)
    {
    }

    public HttpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpFormatException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; } = 400;
}
