using System;
using System.Globalization;

namespace Mesos.Executor.Testing.Internal;

/// <summary>The subset of <c>Accept</c> matching the agent needs (libprocess Request::acceptsMediaType).</summary>
internal static class AcceptHeader
{
    /// <summary>Whether <paramref name="accept"/> allows <paramref name="mediaType"/>; a missing header allows everything.</summary>
    public static bool Allows(string? accept, string mediaType)
    {
        if (accept == null)
        {
            return true;
        }

        int slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        string wildcard = mediaType[..(slash + 1)] + "*";
        foreach (string range in accept.Split(','))
        {
            string[] parts = range.Split(';');
            string type = parts[0].Trim();
            if (!type.Equals(mediaType, StringComparison.OrdinalIgnoreCase) &&
                !type.Equals(wildcard, StringComparison.OrdinalIgnoreCase) &&
                !type.Equals("*/*", StringComparison.Ordinal))
            {
                continue;
            }

            double quality = 1;
            for (int i = 1; i < parts.Length; i++)
            {
                string parameter = parts[i].Trim();
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase) &&
                    !double.TryParse(parameter.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality))
                {
                    quality = 0;
                }
            }

            if (quality > 0)
            {
                return true;
            }
        }

        return false;
    }
}
