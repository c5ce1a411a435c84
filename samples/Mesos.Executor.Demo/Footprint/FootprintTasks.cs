using Mesos.V1;

namespace Mesos.Executor.Demo.Footprint;

/// <summary>The Docker tasks the measurements launch (all on <see cref="DemoTask.DefaultImage"/> or the <c>--image</c> given).</summary>
internal static class FootprintTasks
{
    /// <summary>
    /// A shell that sleeps, and ends at once on SIGTERM (as PID 1 a bare <c>sleep</c> would ignore
    /// it and be SIGKILLed at the end of the grace period).
    /// </summary>
    public const string SleepCommand = "trap 'exit 0' TERM; sleep 3600 & wait $!";

    /// <summary>The CGI script that answers 200 every time.</summary>
    public const string SteadyCgi = "/cgi-bin/steady";

    /// <summary>The CGI script that answers 200 and 503 in turn.</summary>
    public const string FlippingCgi = "/cgi-bin/flip";

    /// <summary>
    /// busybox httpd serving the two CGI scripts from /tmp/www (the alternating one keeps its turn
    /// in /tmp/up), stopped by SIGTERM like <see cref="DemoTask.DefaultCommand"/>. The scripts end
    /// their header with CRLF: httpd passes their line ends through, and the executor's probe
    /// reads a response head up to CRLF CRLF.
    /// </summary>
    private const string CgiCommand = """
        mkdir -p /tmp/www/cgi-bin && cd /tmp/www/cgi-bin &&
        printf '%s\n' '#!/bin/sh' 'printf "Status: 200 OK\r\n\r\n"' > steady &&
        printf '%s\n' '#!/bin/sh' 'if [ -e /tmp/up ]; then rm /tmp/up; printf "Status: 503 Flip\r\n\r\n"; else touch /tmp/up; printf "Status: 200 OK\r\n\r\n"; fi' > flip &&
        chmod +x steady flip || exit 1;
        httpd -f -p 8080 -h /tmp/www & pid=$!; trap 'kill $pid; exit 0' TERM; wait $pid
        """;

    /// <summary>A sleeping task without a health check.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="image">The image.</param>
    /// <returns>The task.</returns>
    public static TaskInfo Sleeping(string id, string agentId, string image) => DemoTask.Create(id, agentId, image, SleepCommand, healthPort: 0);

    /// <summary>busybox httpd with an HTTP health check every <paramref name="interval"/> seconds (or none when 0).</summary>
    /// <param name="id">The task id.</param>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="image">The image.</param>
    /// <param name="interval">Seconds between probes; 0 for no health check.</param>
    /// <returns>The task.</returns>
    public static TaskInfo Http(string id, string agentId, string image, double interval) =>
        DemoTask.Create(id, agentId, image, DemoTask.DefaultCommand(DemoTask.DefaultPort), interval > 0 ? DemoTask.DefaultPort : 0, interval);

    /// <summary>The CGI web server with a generalized HTTP check (<c>TaskInfo.check</c>) of <paramref name="path"/>.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="image">The image.</param>
    /// <param name="path"><see cref="SteadyCgi"/> or <see cref="FlippingCgi"/>.</param>
    /// <param name="interval">Seconds between probes.</param>
    /// <returns>The task.</returns>
    public static TaskInfo Checked(string id, string agentId, string image, string path, double interval)
    {
        TaskInfo task = DemoTask.Create(id, agentId, image, CgiCommand.ReplaceLineEndings(" "), healthPort: 0);
        task.Check = new CheckInfo
        {
            Type = CheckInfo.Types.Type.Http,
            Http = new CheckInfo.Types.Http { Port = DemoTask.DefaultPort, Path = path },
            DelaySeconds = 1,
            IntervalSeconds = interval,
            TimeoutSeconds = 1,
        };
        return task;
    }

    /// <summary>The same web server with a TCP health check on its port instead.</summary>
    /// <param name="id">The task id.</param>
    /// <param name="agentId">The agent's id.</param>
    /// <param name="image">The image.</param>
    /// <param name="interval">Seconds between probes.</param>
    /// <returns>The task.</returns>
    public static TaskInfo Tcp(string id, string agentId, string image, double interval)
    {
        TaskInfo task = Http(id, agentId, image, interval);
        task.HealthCheck.Type = HealthCheck.Types.Type.Tcp;
        task.HealthCheck.Http = null;
        task.HealthCheck.Tcp = new HealthCheck.Types.TCPCheckInfo { Port = DemoTask.DefaultPort };
        return task;
    }
}
