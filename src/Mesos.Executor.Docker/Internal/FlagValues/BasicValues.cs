using System;
using System.Collections.Generic;
using System.Globalization;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Go-style basics of <c>docker run</c> flag values: booleans, integers, non-empty strings, absolute paths, <c>KEY=VALUE</c> pairs and fixed modes.
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class BasicValues
{
    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    public static bool Bool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new FlagValueException($"'{value}' is not a boolean (true or false)"),
    };

    public static long Int64(string value)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result))
        {
            throw new FlagValueException($"'{value}' is not an integer");
        }

        return result;
    }

    public static long Int64InRange(string value, long min, long max)
    {
        long result = Int64(value);
        if (result < min || result > max)
        {
            throw new FlagValueException($"{result} is outside {min}..{max}");
        }

        return result;
    }

    /// <summary><c>key=value</c>; with <paramref name="valueOptional"/> a bare <c>key</c> gets an empty value.</summary>
    public static KeyValuePair<string, string> KeyValue(string value, bool valueOptional = false)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            if (valueOptional && value.Length > 0)
            {
                return new(value, string.Empty);
            }

            throw new FlagValueException($"'{value}' is not KEY=VALUE");
        }

        if (equals == 0)
        {
            throw new FlagValueException($"'{value}' has an empty key");
        }

        return new(value[..equals], value[(equals + 1)..]);
    }

    public static string NonEmpty(string value) =>
        string.IsNullOrEmpty(value) ? throw new FlagValueException("the value must not be empty") : value;

    public static string AbsolutePath(string value) =>
        value.StartsWith('/') ? value : throw new FlagValueException($"'{value}' is not an absolute path");

    /// <summary>One of <paramref name="allowed"/>, or <c>container:&lt;name|id&gt;</c> when <paramref name="allowContainer"/>.</summary>
    public static string Mode(string value, bool allowContainer, params string[] allowed)
    {
        if (Array.IndexOf(allowed, value) >= 0)
        {
            return value;
        }

        if (allowContainer && value.StartsWith("container:", StringComparison.Ordinal) && value.Length > "container:".Length)
        {
            return value;
        }

        string expected = string.Join(", ", allowed) + (allowContainer ? ", container:<name|id>" : string.Empty);
        throw new FlagValueException($"'{value}' is not one of {expected}");
    }
}
