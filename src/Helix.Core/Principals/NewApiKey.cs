namespace Helix.Core.Principals;

/// <summary>A freshly made key: its secret text, to show once, and the hash to store.</summary>
/// <param name="Secret">The key as the holder presents it (<c>hlx_&lt;role&gt;_&lt;43 base64url characters&gt;</c>); never stored, logged or shown again.</param>
/// <param name="Hash">The SHA-256 of <paramref name="Secret"/>'s UTF-8 text: what is stored.</param>
public sealed record NewApiKey(string Secret, byte[] Hash)
{
    /// <inheritdoc/>
    public override string ToString() => "NewApiKey { Secret = (hidden) }";
}
