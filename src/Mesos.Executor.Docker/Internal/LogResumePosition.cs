namespace Mesos.Executor.Docker.Internal;

/// <summary>
/// How far one log stream (stdout or stderr) of a container has been written, so that a resumed
/// <c>GET /containers/{id}/logs?since=</c> writes each message once. <c>since</c> is inclusive, so
/// a resumed stream repeats the messages stamped with the last timestamp written; those are
/// counted and skipped. Counting (not comparing alone) matters with engines whose log timestamps
/// are coarse: Podman's Docker-compatible API stamps whole seconds, so many messages share one
/// timestamp, and Docker's nanoseconds can tie too.
/// </summary>
internal sealed class LogResumePosition
{
    private LogTimestamp? _last;
    private int _writtenAtLast;
    private int _toSkipAtLast;

    /// <summary>The timestamp of the last message written, if any.</summary>
    public LogTimestamp? Last => _last;

    /// <summary>A new connection starts (at <see cref="Last"/>): the messages already written at that timestamp will come again.</summary>
    public void Resume() => _toSkipAtLast = _writtenAtLast;

    /// <summary>Whether the message stamped <paramref name="timestamp"/> is new (write it) or was written before (skip it).</summary>
    public bool Accept(LogTimestamp timestamp)
    {
        if (_last is { } last)
        {
            if (timestamp < last)
            {
                return false;
            }

            if (timestamp == last)
            {
                if (_toSkipAtLast > 0)
                {
                    _toSkipAtLast--;
                    return false;
                }

                _writtenAtLast++;
                return true;
            }
        }

        _last = timestamp;
        _writtenAtLast = 1;
        _toSkipAtLast = 0;
        return true;
    }
}
