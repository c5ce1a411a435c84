using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Mesos.Executor.Testing.Internal;

/// <summary>
/// A minimal HTTP/1.1 request parser for the fake agent: request line, headers, and a body by
/// Content-Length or chunked transfer coding. Keeps reading the same connection (keep-alive).
/// </summary>
internal sealed class HttpRequestReader
{
    private const int MaxLineBytes = 16 * 1024;
    private const int MaxHeaders = 100;

    private readonly Stream _stream;
    private readonly int _maxBodyBytes;
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private int _start;
    private int _end;

    public HttpRequestReader(Stream stream, int maxBodyBytes)
    {
        _stream = stream;
        _maxBodyBytes = maxBodyBytes;
    }

    /// <summary>Reads the next request, or returns <see langword="null"/> when the client closed the connection between requests.</summary>
    /// <exception cref="HttpFormatException">The request is malformed.</exception>
    public async Task<HttpRequestData?> ReadAsync(CancellationToken cancellationToken)
    {
        string? requestLine;
        do
        {
            // RFC 9112 2.2: ignore empty lines before the request line.
            requestLine = await ReadLineAsync(allowEndOfStream: true, cancellationToken).ConfigureAwait(false);
            if (requestLine == null)
            {
                return null;
            }
        }
        while (requestLine.Length == 0);

        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new HttpFormatException($"Malformed request line '{requestLine}'");
        }

        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            string line = (await ReadLineAsync(allowEndOfStream: false, cancellationToken).ConfigureAwait(false))!;
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || headers.Count == MaxHeaders)
            {
                throw new HttpFormatException($"Malformed or too many header lines ('{line}')");
            }

            headers.Add(new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var request = new HttpRequestData(parts[0], parts[1], parts[2], headers, []);
        string? transferEncoding = request.GetHeader("Transfer-Encoding");
        string? contentLength = request.GetHeader("Content-Length");
        byte[] body;
        if (transferEncoding != null)
        {
            if (!transferEncoding.EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new HttpFormatException(501, $"Unsupported Transfer-Encoding '{transferEncoding}'");
            }

            body = await ReadChunkedBodyAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (contentLength != null)
        {
            if (!int.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            {
                throw new HttpFormatException($"Malformed Content-Length '{contentLength}'");
            }

            if (length > _maxBodyBytes)
            {
                throw new HttpFormatException(413, $"Request body of {length} bytes exceeds {_maxBodyBytes}");
            }

            body = new byte[length];
            await ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            body = [];
        }

        return request with { Body = body };
    }

    private async Task<byte[]> ReadChunkedBodyAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            string sizeLine = (await ReadLineAsync(allowEndOfStream: false, cancellationToken).ConfigureAwait(false))!;
            int semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            string hex = (semicolon < 0 ? sizeLine : sizeLine[..semicolon]).Trim();
            if (!int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
            {
                throw new HttpFormatException($"Malformed chunk size '{sizeLine}'");
            }

            if (size == 0)
            {
                // Trailers, up to the empty line.
                while ((await ReadLineAsync(allowEndOfStream: false, cancellationToken).ConfigureAwait(false))!.Length > 0)
                {
                }

                return body.ToArray();
            }

            if (body.Length + size > _maxBodyBytes)
            {
                throw new HttpFormatException(413, $"Request body exceeds {_maxBodyBytes} bytes");
            }

            byte[] chunk = new byte[size];
            await ReadExactlyAsync(chunk, cancellationToken).ConfigureAwait(false);
            body.Write(chunk);
            if ((await ReadLineAsync(allowEndOfStream: false, cancellationToken).ConfigureAwait(false))!.Length != 0)
            {
                throw new HttpFormatException("Chunk not followed by CRLF");
            }
        }
    }

    private async Task ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        int buffered = Math.Min(_end - _start, destination.Length);
        _buffer.AsMemory(_start, buffered).CopyTo(destination);
        _start += buffered;
        if (buffered < destination.Length)
        {
            try
            {
                await _stream.ReadExactlyAsync(destination[buffered..], cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException ex)
            {
                throw new HttpFormatException("The connection closed inside the request body", ex);
            }
        }
    }

    private async Task<string?> ReadLineAsync(bool allowEndOfStream, CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                int length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                string line = Encoding.Latin1.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new HttpFormatException(431, "Request line or header line too long");
            }

            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                if (allowEndOfStream && _end == 0)
                {
                    return null;
                }

                throw new HttpFormatException("The connection closed inside the request");
            }

            _end += read;
        }
    }
}
