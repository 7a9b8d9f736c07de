using System.Security.Cryptography;
using System.Text;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.Admin;

/// <summary>The admin API's bearer key, compared in constant time.</summary>
internal sealed class AdminKey
{
    private const string GeneratedKeyPath = "data/admin-key";
    private readonly byte[] _hash;

    public AdminKey(string key) => _hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether <paramref name="presented"/> is the key.</summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>The configured key; without one, a random key kept in <c>data/admin-key</c> (readable by the owner only), never logged.</summary>
    public static string Resolve(GatewayOptions options, string contentRoot)
    {
        if (!string.IsNullOrEmpty(options.AdminKey))
        {
            return options.AdminKey;
        }

        var path = Path.GetFullPath(GeneratedKeyPath);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Console.WriteLine($"Helix: no Helix:AdminKey configured; generated one in {path} (from {contentRoot}).");
        return key;
    }
}
