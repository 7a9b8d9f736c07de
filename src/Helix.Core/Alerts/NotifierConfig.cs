namespace Helix.Core.Alerts;

/// <summary>A stored notifier: where alerts are posted.</summary>
/// <remarks>The secret signs webhook bodies; it is stored, never returned by the admin API nor logged.</remarks>
public sealed record NotifierConfig
{
    /// <summary>The notifier's name, unique.</summary>
    public required string Name { get; init; }

    public required NotifierKind Kind { get; init; }

    /// <summary>The http(s) URL posted to.</summary>
    public required Uri Url { get; init; }

    /// <summary>The HMAC secret of a webhook, if any.</summary>
    public string? Secret { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
