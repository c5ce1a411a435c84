using System;
using System.Net;

namespace Mesos.Executor.Docker.Internal;

/// <summary>The engine answered a raw request with an error status (translated at the containerizer's boundary).</summary>
internal sealed class DockerRequestException : Exception
{
    public DockerRequestException()
    {
    }

    public DockerRequestException(string message)
        : base(message)
    {
    }

    public DockerRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DockerRequestException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode StatusCode { get; }
}
