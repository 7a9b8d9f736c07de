using System.Security.Cryptography;

namespace Helix.Simulator.Wire;

/// <summary>Random ids in the providers' formats.</summary>
internal static class Ids
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary><paramref name="prefix"/> followed by <paramref name="length"/> random letters and digits.</summary>
    public static string Alphanumeric(string prefix, int length) =>
        string.Create(prefix.Length + length, prefix, static (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            RandomNumberGenerator.GetItems(Base62, span[p.Length..]);
        });

    /// <summary><paramref name="prefix"/> followed by <paramref name="bytes"/> random bytes in lower-case hex.</summary>
    public static string Hex(string prefix, int bytes)
    {
        Span<byte> random = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(random);
        return prefix + Convert.ToHexStringLower(random);
    }

    /// <summary>A random UUID in its usual 8-4-4-4-12 form.</summary>
    public static string Uuid() => Guid.NewGuid().ToString();
}
