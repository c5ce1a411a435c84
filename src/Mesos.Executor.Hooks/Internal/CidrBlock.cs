using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mesos.Executor.Hooks.Internal;

/// <summary>
/// An IPv4 or IPv6 network in CIDR form, parsed strictly: dotted-quad IPv4 only (no <c>10.1</c>,
/// no leading zeros, which some parsers read as octal), IPv6 without a zone, prefix within the
/// family's width. Host bits after the prefix are cleared, as iptables does.
/// </summary>
internal readonly record struct CidrBlock
{
    private CidrBlock(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public IpFamily Family => Network.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.IPv6 : IpFamily.IPv4;

    /// <summary>A single address: <c>/32</c> or <c>/128</c>.</summary>
    public static CidrBlock FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new CidrBlock(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
    }

    /// <summary>Parses <c>address</c> or <c>address/prefix</c>.</summary>
    /// <param name="text">The entry, already trimmed.</param>
    /// <param name="block">The parsed network.</param>
    /// <param name="error">Why it is invalid, when it is.</param>
    public static bool TryParse(string text, out CidrBlock block, out string error)
    {
        block = default;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty entry";
            return false;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        IPAddress? address = addressText.Contains(':', StringComparison.Ordinal) ? ParseIPv6(addressText) : ParseIPv4(addressText);
        if (address is null)
        {
            error = $"'{addressText}' is not an IPv4 or IPv6 address";
            return false;
        }

        int width = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        int prefix = width;
        if (slash >= 0)
        {
            string prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > width)
            {
                error = $"'{prefixText}' is not a prefix length between 0 and {width}";
                return false;
            }
        }

        block = new CidrBlock(Mask(address, prefix), prefix);
        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static IPAddress? ParseIPv4(string text)
    {
        string[] parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            string part = parts[i];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 255)
            {
                return null;
            }

            bytes[i] = (byte)value;
        }

        return new IPAddress(bytes);
    }

    private static IPAddress? ParseIPv6(string text)
    {
        if (text.Contains('%', StringComparison.Ordinal) || text.Contains('[', StringComparison.Ordinal)
            || !IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        return address;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
