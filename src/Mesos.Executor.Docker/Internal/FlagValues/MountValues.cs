using System;
using System.Collections.Generic;
using System.Text;
using Mesos.Executor.Docker.Internal.Engine;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// <c>--mount</c>: the CSV of <c>key=value</c> fields the Docker CLI's <c>MountOpt</c> reads, for bind, volume and tmpfs mounts.
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class MountValues
{
    /// <summary>
    /// <c>--mount</c>: comma-separated <c>key=value</c> fields (quoted fields allowed) with
    /// <c>type</c> (bind, volume, tmpfs), <c>source</c>, <c>target</c>, <c>readonly</c> and the
    /// type's options, as the Docker CLI's <c>MountOpt</c>.
    /// </summary>
    public static Mount Mount(string value)
    {
        var mount = new Mount { Type = "volume" };
        foreach (string field in CsvFields(value))
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? field : field[..equals]).ToLowerInvariant();
            string? fieldValue = equals < 0 ? null : field[(equals + 1)..];
            switch (key)
            {
                case "readonly" or "ro":
                    mount.ReadOnly = fieldValue is null || BasicValues.Bool(fieldValue);
                    continue;
                case "volume-nocopy":
                    (mount.VolumeOptions ??= new VolumeOptions()).NoCopy = fieldValue is null || BasicValues.Bool(fieldValue);
                    continue;
                case "bind-nonrecursive":
                    (mount.BindOptions ??= new BindOptions()).NonRecursive = fieldValue is null || BasicValues.Bool(fieldValue);
                    continue;
            }

            if (fieldValue is null)
            {
                throw new FlagValueException($"field '{field}' must be KEY=VALUE");
            }

            switch (key)
            {
                case "type":
                    mount.Type = fieldValue is "bind" or "volume" or "tmpfs"
                        ? fieldValue
                        : throw new FlagValueException($"mount type '{fieldValue}' is not bind, volume or tmpfs");
                    break;
                case "source" or "src":
                    mount.Source = fieldValue;
                    break;
                case "target" or "destination" or "dst":
                    mount.Target = fieldValue;
                    break;
                case "consistency":
                    mount.Consistency = fieldValue;
                    break;
                case "bind-propagation":
                    (mount.BindOptions ??= new BindOptions()).Propagation =
                        BasicValues.Mode(fieldValue, false, "shared", "rshared", "slave", "rslave", "private", "rprivate");
                    break;
                case "volume-driver":
                    ((mount.VolumeOptions ??= new VolumeOptions()).DriverConfig ??= new Driver()).Name = fieldValue;
                    break;
                case "volume-opt":
                    {
                        var driver = (mount.VolumeOptions ??= new VolumeOptions()).DriverConfig ??= new Driver();
                        var (k, v) = BasicValues.KeyValue(fieldValue);
                        (driver.Options ??= new Dictionary<string, string>(StringComparer.Ordinal))[k] = v;
                        break;
                    }

                case "volume-label":
                    {
                        var options = mount.VolumeOptions ??= new VolumeOptions();
                        var (k, v) = BasicValues.KeyValue(fieldValue, valueOptional: true);
                        (options.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal))[k] = v;
                        break;
                    }

                case "tmpfs-size":
                    (mount.TmpfsOptions ??= new TmpfsOptions()).SizeBytes = ResourceValues.Size(fieldValue);
                    break;
                case "tmpfs-mode":
                    (mount.TmpfsOptions ??= new TmpfsOptions()).Mode = ParseOctal(fieldValue);
                    break;
                default:
                    throw new FlagValueException($"unknown field '{key}'");
            }
        }

        if (string.IsNullOrEmpty(mount.Target))
        {
            throw new FlagValueException("target is required");
        }

        BasicValues.AbsolutePath(mount.Target);
        if (mount.Type == "bind" && string.IsNullOrEmpty(mount.Source))
        {
            throw new FlagValueException("a bind mount needs a source");
        }

        if (mount.Type != "volume" && mount.VolumeOptions != null)
        {
            throw new FlagValueException($"volume options do not apply to type {mount.Type}");
        }

        if (mount.Type != "bind" && mount.BindOptions != null)
        {
            throw new FlagValueException($"bind options do not apply to type {mount.Type}");
        }

        if (mount.Type != "tmpfs" && mount.TmpfsOptions != null)
        {
            throw new FlagValueException($"tmpfs options do not apply to type {mount.Type}");
        }

        return mount;
    }

    private static uint ParseOctal(string value)
    {
        try
        {
            return Convert.ToUInt32(value, 8);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new FlagValueException($"'{value}' is not an octal mode", ex);
        }
    }

    /// <summary>Splits one CSV record (fields separated by commas, double quotes around fields with commas).</summary>
    private static List<string> CsvFields(string value)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < value.Length && value[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new FlagValueException($"'{value}' has an unterminated quote");
        }

        fields.Add(current.ToString());
        fields.RemoveAll(f => f.Length == 0);
        if (fields.Count == 0)
        {
            throw new FlagValueException("the value must not be empty");
        }

        return fields;
    }
}
