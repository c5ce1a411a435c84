using System;
using System.Collections.Generic;

namespace Mesos.Executor.Reference.CommandLine;

/// <summary>
/// A small hand-written parser for Mesos-style flags (no System.CommandLine: it costs megabytes in
/// a NativeAOT binary). Accepts <c>--name=value</c> and <c>--name value</c>; booleans also as bare
/// <c>--name</c> and <c>--no-name</c>. Unknown <c>--</c> flags are ignored with a warning, like the
/// agent may one day pass flags this executor does not know yet.
/// </summary>
internal static class FlagParser
{
    /// <summary>Parses <paramref name="args"/> against <paramref name="definitions"/>.</summary>
    /// <param name="args">The arguments, without the program name (and without a sub-command).</param>
    /// <param name="definitions">The known flags.</param>
    /// <returns>The values (last occurrence wins), warnings, errors and stray positional arguments.</returns>
    public static FlagParseResult Parse(IReadOnlyList<string> args, IReadOnlyList<FlagDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(definitions);

        var known = new Dictionary<string, FlagDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            known[definition.Name] = definition;
        }

        var result = new FlagParseResult();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                for (int j = i + 1; j < args.Count; j++)
                {
                    result.Positional.Add(args[j]);
                }

                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg is "-h" or "-help" or "-?")
                {
                    result.Values["help"] = "true";
                    continue;
                }

                result.Positional.Add(arg);
                continue;
            }

            string body = arg[2..];
            string name = body;
            string? inline = null;
            int eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                name = body[..eq];
                inline = body[(eq + 1)..];
            }

            if (name.Length == 0)
            {
                result.Warnings.Add($"ignoring malformed argument '{arg}'");
                continue;
            }

            bool negated = false;
            if (!known.TryGetValue(name, out var definition)
                && name.StartsWith("no-", StringComparison.Ordinal)
                && known.TryGetValue(name[3..], out var positive)
                && positive.Kind == FlagKind.Boolean)
            {
                definition = positive;
                negated = true;
            }

            if (definition == null)
            {
                // Unknown: accept it so that a newer agent's flags never stop the executor. In the
                // `--name value` form the next argument is taken as its value unless it is a flag.
                if (inline == null && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    i++;
                }

                result.Unknown.Add(name);
                result.Warnings.Add($"ignoring unknown flag '--{name}'");
                continue;
            }

            string value;
            if (definition.Kind == FlagKind.Boolean)
            {
                if (negated)
                {
                    if (inline != null)
                    {
                        result.Errors.Add($"flag '--no-{definition.Name}' takes no value");
                        continue;
                    }

                    value = "false";
                }
                else if (inline != null)
                {
                    if (!TryParseBoolean(inline, out bool parsed))
                    {
                        result.Errors.Add($"flag '--{definition.Name}': '{inline}' is not a boolean (true or false)");
                        continue;
                    }

                    value = parsed ? "true" : "false";
                }
                else if (i + 1 < args.Count && TryParseBoolean(args[i + 1], out bool next))
                {
                    value = next ? "true" : "false";
                    i++;
                }
                else
                {
                    value = "true";
                }
            }
            else if (inline != null)
            {
                value = inline;
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                result.Errors.Add($"flag '--{definition.Name}' needs a value");
                continue;
            }

            if (result.Values.ContainsKey(definition.Name))
            {
                result.Warnings.Add($"flag '--{definition.Name}' given more than once; the last one wins");
            }

            result.Values[definition.Name] = value;
        }

        return result;
    }

    /// <summary>Parses a boolean the way Mesos's flags do (<c>true</c>/<c>false</c>, also <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The boolean.</param>
    /// <returns>Whether <paramref name="text"/> is a boolean.</returns>
    public static bool TryParseBoolean(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
