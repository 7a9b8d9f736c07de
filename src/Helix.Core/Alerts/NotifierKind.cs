namespace Helix.Core.Alerts;

/// <summary>Where a notifier delivers alerts.</summary>
public enum NotifierKind
{
    /// <summary>A Discord webhook: a message with an embed.</summary>
    Discord,

    /// <summary>A Slack incoming webhook: a message with blocks.</summary>
    Slack,

    /// <summary>Any HTTP endpoint: Helix's JSON, signed with HMAC-SHA256 when a secret is set.</summary>
    Webhook,
}
