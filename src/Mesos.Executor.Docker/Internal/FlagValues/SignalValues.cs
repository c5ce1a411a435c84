using System;
using System.Globalization;

namespace Mesos.Executor.Docker.Internal.FlagValues;

/// <summary>
/// Signals (<c>--stop-signal</c>): a name such as <c>SIGTERM</c>, <c>TERM</c> or <c>SIGRTMIN+3</c>, or a number.
/// Each parser throws <see cref="FlagValueException"/> with a message that does not repeat the flag's name.
/// </summary>
internal static class SignalValues
{
    /// <summary>A signal name (<c>SIGTERM</c>, <c>TERM</c>, <c>SIGRTMIN+3</c>) or number.</summary>
    public static string Signal(string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number is > 0 and <= 64 ? value : throw new FlagValueException($"{number} is not a signal number");
        }

        return TextPatterns.IsSignalName(value) ? value : throw new FlagValueException($"'{value}' is not a signal");
    }
}
