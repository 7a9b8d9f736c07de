using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Helix.Core.Alerts.Notifiers;

/// <summary>The bodies each kind of notifier receives, and the webhook signature.</summary>
/// <remarks>Pure functions of the alert; money as decimal strings. Thread-safe.</remarks>
public static class NotifierPayloads
{
    /// <summary>The header carrying a webhook body's signature: <c>sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.</summary>
    public const string SignatureHeader = "X-Helix-Signature";

    /// <summary>The UTF-8 JSON body for <paramref name="kind"/>.</summary>
    public static byte[] Body(NotifierKind kind, AlertRecord alert) => kind switch
    {
        NotifierKind.Discord => Encoding.UTF8.GetBytes(Discord(alert).ToJsonString()),
        NotifierKind.Slack => Encoding.UTF8.GetBytes(Slack(alert).ToJsonString()),
        _ => Encoding.UTF8.GetBytes(Webhook(alert).ToJsonString()),
    };

    /// <summary>The signature header value of <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Helix's own JSON: <c>{"id","type","severity","scope","subject","period","threshold","spentUsd","limitUsd","message","createdAt"}</c>.</summary>
    public static JsonObject Webhook(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new JsonObject
        {
            ["id"] = alert.Id.ToString(CultureInfo.InvariantCulture),
            ["type"] = alert.Type,
            ["severity"] = alert.Severity,
            ["scope"] = alert.Scope,
            ["subject"] = alert.Subject,
            ["period"] = alert.Period,
            ["threshold"] = alert.Threshold,
            ["spentUsd"] = Usd(alert.SpentUsd),
            ["limitUsd"] = Usd(alert.LimitUsd),
            ["message"] = alert.Message,
            ["createdAt"] = alert.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A Discord webhook message with one embed: title, description, colour by severity, the figures as fields.</summary>
    public static JsonObject Discord(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var fields = new JsonArray();
        foreach (var (name, value) in Figures(alert))
        {
            fields.Add(new JsonObject { ["name"] = name, ["value"] = value, ["inline"] = true });
        }

        return new JsonObject
        {
            ["username"] = "Helix",
            ["content"] = $"Helix alert: {alert.Type}",
            ["embeds"] = new JsonArray(new JsonObject
            {
                ["title"] = Title(alert),
                ["description"] = alert.Message,
                ["color"] = alert.Severity switch { "critical" => 0xE01E5A, "warning" => 0xECB22E, _ => 0x2EB67D },
                ["fields"] = fields,
                ["timestamp"] = alert.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["footer"] = new JsonObject { ["text"] = $"alert {alert.Id}" },
            }),
        };
    }

    /// <summary>A Slack incoming-webhook message: fallback text plus header, section with fields, and context blocks.</summary>
    public static JsonObject Slack(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var fields = new JsonArray();
        foreach (var (name, value) in Figures(alert))
        {
            fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{name}*\n{value}" });
        }

        var section = new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = alert.Message } };
        if (fields.Count > 0)
        {
            section["fields"] = fields;
        }

        return new JsonObject
        {
            ["text"] = $"{Title(alert)}: {alert.Message}",
            ["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Title(alert) } },
                section,
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "mrkdwn",
                        ["text"] = $"{alert.Severity} · alert {alert.Id} · {alert.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC",
                    }),
                }),
        };
    }

    private static string Title(AlertRecord alert) =>
        $"[{alert.Severity}] {alert.Type}" + (alert.Subject is null ? "" : $" · {alert.Scope} {alert.Subject}");

    private static List<(string Name, string Value)> Figures(AlertRecord alert)
    {
        List<(string, string)> figures = [];
        if (alert.Period is not null)
        {
            figures.Add(("Period", alert.Period));
        }

        if (alert.Threshold is { } threshold)
        {
            figures.Add(("Threshold", threshold.ToString("P0", CultureInfo.InvariantCulture)));
        }

        if (alert.SpentUsd is { } spent)
        {
            figures.Add(("Spent", $"${Usd(spent)}"));
        }

        if (alert.LimitUsd is { } limit)
        {
            figures.Add((alert.Type.StartsWith("anomaly", StringComparison.Ordinal) ? "Baseline" : "Limit", $"${Usd(limit)}"));
        }

        if (alert.Calls is { } calls)
        {
            figures.Add(("Calls", calls.ToString(CultureInfo.InvariantCulture)));
        }

        return figures;
    }

    private static string? Usd(decimal? value) =>
        value?.ToString("0.############################", CultureInfo.InvariantCulture);
}
