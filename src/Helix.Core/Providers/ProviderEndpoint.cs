namespace Helix.Core.Providers;

/// <summary>Where a provider is reached and with which key.</summary>
/// <param name="BaseUrl">The API root (<c>https://api.deepseek.com</c>, or the simulator's loopback address).</param>
/// <param name="ApiKey">The key, or <see langword="null"/> for the simulator. Never logged.</param>
public sealed record ProviderEndpoint(Uri BaseUrl, string? ApiKey)
{
    /// <inheritdoc/>
    public override string ToString() => $"{BaseUrl} (key {(ApiKey is null ? "none" : "set")})";
}
