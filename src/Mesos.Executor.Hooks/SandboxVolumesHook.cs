using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Mesos.Executor.Core;
using Mesos.Executor.Hooks.Internal;
using Mesos.V1;

namespace Mesos.Executor.Hooks;

/// <summary>
/// <c>sandbox-volumes</c>: fails tasks that mount host paths outside their sandbox, unless the path
/// is under one of <see cref="SandboxVolumesHookOptions.AllowedHostPaths"/>.
/// </summary>
/// <remarks>
/// <para>
/// Checked before the container is created (pre-create): every <c>container.volumes</c> entry with a
/// host path (<c>host_path</c>, or a <c>HOST_PATH</c> source) or a <c>SANDBOX_PATH</c> source, and
/// the Docker parameters <c>volume</c> / <c>v</c> (<c>source:target[:options]</c>; a source without
/// <c>/</c> that does not start with <c>.</c> is a named volume and is fine) and <c>mount</c>
/// (<c>type=bind,source=...</c>). <c>volumes-from</c> is refused: what it mounts cannot be checked.
/// </para>
/// <para>
/// A relative path is inside the sandbox (the containerizer resolves it against the sandbox) unless
/// <c>..</c> leads out of it. An absolute path must be the sandbox (<c>MESOS_DIRECTORY</c>) or under
/// it, or under an allowed path. Paths are compared after normalisation and after following the
/// symbolic links that exist at check time, so a link in the sandbox that points to <c>/</c> does
/// not get through. Every offending volume is named in the failure.
/// </para>
/// </remarks>
public sealed class SandboxVolumesHook : IHook
{
    private readonly SandboxVolumesHookOptions _options;

    /// <summary>Creates the hook.</summary>
    /// <param name="options">Its options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ExecutorConfigurationException">The options are invalid.</exception>
    public SandboxVolumesHook(SandboxVolumesHookOptions? options = null)
    {
        _options = options ?? new SandboxVolumesHookOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public string Name => HookNames.SandboxVolumes;

    /// <inheritdoc />
    public int Priority => _options.Priority;

    /// <inheritdoc />
    /// <exception cref="HookFailedException">A volume mounts a host path outside the sandbox that is not allowed.</exception>
    public Task PreCreateAsync(HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        ContainerInfo? container = context.Spec.Task.Container;
        if (container is null)
        {
            return Task.CompletedTask;
        }

        var checker = new Checker(context.Spec.SandboxDirectory, _options.AllowedHostPaths);
        foreach (Volume volume in container.Volumes)
        {
            string what = $"volume '{volume.ContainerPath}'";
            switch (volume.Source?.Type)
            {
                case Volume.Types.Source.Types.Type.HostPath:
                    checker.Check(volume.Source.HostPath?.Path ?? string.Empty, what);
                    break;
                case Volume.Types.Source.Types.Type.SandboxPath:
                    checker.CheckRelative(volume.Source.SandboxPath?.Path ?? string.Empty, what);
                    break;
                default:
                    if (volume.HasHostPath)
                    {
                        checker.Check(volume.HostPath, what);
                    }

                    break;
            }
        }

        foreach (Parameter parameter in TaskFacts.DockerParameters(container, "volume", "v"))
        {
            string[] parts = parameter.Value.Split(':');
            string source = parts[0];
            if (parts.Length > 1 && (source.Contains('/', StringComparison.Ordinal) || source.StartsWith('.')))
            {
                checker.Check(source, $"parameter {parameter.Key}={parameter.Value}");
            }
        }

        foreach (Parameter parameter in TaskFacts.DockerParameters(container, "mount"))
        {
            CheckMount(checker, parameter);
        }

        foreach (Parameter parameter in TaskFacts.DockerParameters(container, "volumes-from"))
        {
            checker.Problems.Add($"parameter {parameter.Key}={parameter.Value} (volumes of another container cannot be checked)");
        }

        if (checker.Problems.Count > 0)
        {
            throw new HookFailedException(
                Name,
                HookPhase.PreCreate,
                $"host paths outside the sandbox are not allowed: {string.Join("; ", checker.Problems)}");
        }

        return Task.CompletedTask;
    }

    private static void CheckMount(Checker checker, Parameter parameter)
    {
        string type = "volume";
        string? source = null;
        foreach (string field in parameter.Value.Split(','))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? field : field[..equals]).Trim().ToLowerInvariant();
            string value = equals < 0 ? string.Empty : field[(equals + 1)..].Trim();
            switch (key)
            {
                case "type":
                    type = value.ToLowerInvariant();
                    break;
                case "source" or "src":
                    source = value;
                    break;
            }
        }

        if (type == "bind")
        {
            checker.Check(source ?? string.Empty, $"parameter {parameter.Key}={parameter.Value}");
        }
    }

    private sealed class Checker
    {
        private readonly string? _sandbox;
        private readonly List<string> _allowed = [];

        public Checker(string? sandboxDirectory, IReadOnlyList<string> allowed)
        {
            if (!string.IsNullOrEmpty(sandboxDirectory) && sandboxDirectory.StartsWith('/'))
            {
                _sandbox = Resolve(sandboxDirectory);
            }

            foreach (string path in allowed)
            {
                _allowed.Add(Resolve(path.Trim()));
            }
        }

        public List<string> Problems { get; } = [];

        public void Check(string hostPath, string what)
        {
            if (hostPath.Length == 0)
            {
                Problems.Add($"{what} has an empty host path");
                return;
            }

            if (!hostPath.StartsWith('/'))
            {
                CheckRelative(hostPath, what);
                return;
            }

            string resolved = Resolve(hostPath);
            if (!IsAllowed(resolved))
            {
                Problems.Add($"{what} mounts '{hostPath}'" + (resolved == HostPaths.Normalize(hostPath) ? string.Empty : $" (really '{resolved}')"));
            }
        }

        public void CheckRelative(string path, string what)
        {
            if (path.StartsWith('/'))
            {
                Problems.Add($"{what} has an absolute sandbox path '{path}'");
                return;
            }

            if (_sandbox is null)
            {
                if (HostPaths.Normalize(path) is ".." || HostPaths.Normalize(path).StartsWith("../", StringComparison.Ordinal))
                {
                    Problems.Add($"{what} leaves the sandbox with '{path}'");
                }

                return;
            }

            string resolved = Resolve(_sandbox + "/" + path);
            if (!IsAllowed(resolved))
            {
                Problems.Add($"{what} leaves the sandbox with '{path}' (really '{resolved}')");
            }
        }

        private bool IsAllowed(string resolved)
        {
            if (_sandbox is not null && HostPaths.IsUnder(resolved, _sandbox))
            {
                return true;
            }

            foreach (string allowed in _allowed)
            {
                if (HostPaths.IsUnder(resolved, allowed))
                {
                    return true;
                }
            }

            return false;
        }

        private static string Resolve(string absolutePath)
        {
            try
            {
                return HostPaths.Resolve(absolutePath);
            }
            catch (IOException)
            {
                // A symlink loop: never inside anything.
                return "/\0unresolvable";
            }
        }
    }
}
