using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Helix.Core.Principals;

/// <summary>Makes API keys and hashes presented ones: <c>hlx_&lt;role&gt;_</c> and 256 random bits in base64url.</summary>
/// <remarks>
/// <para>
/// The prefix makes a leaked key recognisable to people and to secret scanners, and says which role it carries
/// (a hint only: the role is what the store says). The 256 random bits come from the OS's cryptographic generator.
/// </para>
/// <para>
/// Why a plain SHA-256 and not a password hash (bcrypt, Argon2): a slow, salted hash protects secrets people choose,
/// which are guessable; these keys have 256 bits of entropy, so neither guessing nor a precomputed table can find a
/// key from its hash, and a hash that cost milliseconds would put that cost on every request. Thread-safe.
/// </para>
/// </remarks>
public static class ApiKeySecrets
{
    /// <summary>What every key starts with.</summary>
    public const string Prefix = "hlx_";

    /// <summary>The longest text accepted as a key; anything longer is refused before it is hashed.</summary>
    public const int MaxLength = 128;

    /// <summary>The bytes of a SHA-256 hash.</summary>
    public const int HashLength = 32;

    private const int SecretBytes = 32;

    /// <summary>Makes a new key for <paramref name="role"/>.</summary>
    public static NewApiKey Generate(PrincipalRole role)
    {
        Span<byte> random = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(random);
        var secret = $"{Prefix}{PrincipalRoles.Name(role)}_{Base64Url.EncodeToString(random)}";
        CryptographicOperations.ZeroMemory(random);
        var hash = new byte[HashLength];
        _ = TryHash(secret, hash);
        return new NewApiKey(secret, hash);
    }

    /// <summary>A new key id: <c>key_</c> and 16 hex digits; not secret.</summary>
    public static string NewId() => $"key_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    /// <summary>Hashes a presented key into <paramref name="hash"/> without allocating.</summary>
    /// <param name="presented">The text presented.</param>
    /// <param name="hash">Receives the SHA-256 hash; at least <see cref="HashLength"/> bytes.</param>
    /// <returns><see langword="false"/> when the text is empty or longer than <see cref="MaxLength"/>: no key.</returns>
    public static bool TryHash(ReadOnlySpan<char> presented, Span<byte> hash)
    {
        if (presented.IsEmpty || presented.Length > MaxLength)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[MaxLength * 3];
        var length = Encoding.UTF8.GetBytes(presented, utf8);
        SHA256.HashData(utf8[..length], hash);
        return true;
    }

    /// <summary>Whether <paramref name="text"/> looks like a Helix key (its prefix), e.g. to redact it from a message.</summary>
    public static bool LooksLikeKey(ReadOnlySpan<char> text) => text.StartsWith(Prefix, StringComparison.Ordinal);
}
