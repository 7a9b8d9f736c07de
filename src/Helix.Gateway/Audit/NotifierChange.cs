using Helix.Core.Alerts;

namespace Helix.Gateway.Audit;

/// <summary>A notifier as the change history holds it: never its secret, and of its URL only the scheme and host.</summary>
/// <remarks>
/// A webhook URL is itself a credential (Discord's and Slack's carry their token in the path, others in the query),
/// so only its origin is kept, with <c>/…</c> standing for the rest; whether a secret is set is kept, never the secret.
/// </remarks>
internal sealed record NotifierChange(string Name, string Kind, string Url, bool HasSecret, DateTimeOffset UpdatedAt)
{
    public static NotifierChange? From(NotifierConfig? n) => n is null
        ? null
        : new(n.Name, n.Kind.ToString().ToLowerInvariant(), RedactedUrl(n.Url), n.Secret is not null, n.UpdatedAt);

    // Scheme, host and port only: no user info (a password), no path or query (a token).
    public static string RedactedUrl(Uri url)
    {
        var origin = $"{url.Scheme}://{url.Host}{(url.IsDefaultPort ? "" : ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
        return url.AbsolutePath is "/" or "" && url.Query.Length == 0 ? origin + "/" : origin + "/…";
    }
}
