using System.Globalization;
using System.Text.Json;
using Helix.Core.Alerts;
using Helix.Core.Alerts.Notifiers;
using Helix.Gateway.Access;
using Helix.Gateway.Audit;

namespace Helix.Gateway.Admin;

/// <summary>Stored alerts with their states, and the notifiers they are delivered to; secrets are never returned.</summary>
internal static class AlertEndpoints
{
    private const int MaxNameLength = 64;

    public static RouteGroupBuilder MapAlertEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/alerts", ListAsync).RequireAccess(AdminAccess.Read).WithSummary("Stored alerts, newest first: ?state=open|acknowledged|resolved&limit=.");
        admin.MapPost("/alerts/{id}/acknowledge", (string id, IAlertStore store, TimeProvider time, ChangeRecorder recorder, HttpContext context, CancellationToken ct) =>
                AdvanceAsync(id, AlertState.Acknowledged, store, time, recorder, context, ct)).RequireAccess(AdminAccess.Operate)
            .WithSummary("Acknowledge an open alert.");
        admin.MapPost("/alerts/{id}/resolve", (string id, IAlertStore store, TimeProvider time, ChangeRecorder recorder, HttpContext context, CancellationToken ct) =>
                AdvanceAsync(id, AlertState.Resolved, store, time, recorder, context, ct)).RequireAccess(AdminAccess.Operate)
            .WithSummary("Resolve an alert; its rule may alert again.");
        admin.MapGet("/notifiers", async (IAlertStore store, CancellationToken ct) =>
                Results.Json(new AdminEndpoints.ItemList<NotifierItem>([.. (await store.GetNotifiersAsync(ct)).Select(NotifierItem.From)]))).RequireAccess(AdminAccess.Read)
            .WithSummary("Every notifier (secrets are never returned).");
        admin.MapGet("/notifiers/{name}", GetNotifierAsync).RequireAccess(AdminAccess.Read).WithSummary("One notifier.");
        admin.MapPut("/notifiers/{name}", PutNotifierAsync).RequireAccess(AdminAccess.Administer).WithSummary("Add or replace a notifier: {\"kind\":\"discord|slack|webhook\",\"url\",\"secret\"}.");
        admin.MapDelete("/notifiers/{name}", DeleteNotifierAsync).RequireAccess(AdminAccess.Administer).WithSummary("Delete a notifier and its pending deliveries.");
        admin.MapPost("/notifiers/{name}/test", TestNotifierAsync).RequireAccess(AdminAccess.Administer).WithSummary("Send a test alert to a notifier now.");
        return admin;
    }

    private static async Task<IResult> ListAsync(string? state, string? limit, IAlertStore store, CancellationToken cancellationToken)
    {
        AlertState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<AlertState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(state[0]))
            {
                return BudgetEndpoints.Invalid("state", "state is open, acknowledged or resolved.");
            }

            filter = parsed;
        }

        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            return BudgetEndpoints.Invalid("limit", "limit is a whole number from 1 to 1000.");
        }

        var alerts = await store.ListAsync(filter, size, cancellationToken);
        return Results.Json(new AdminEndpoints.ItemList<AlertItem>([.. alerts.Select(AlertItem.From)]));
    }

    // Alerts are few (one open per rule and subject): the one advanced is among the newest this many.
    private const int AlertLookback = 1000;

    private static async Task<IResult> AdvanceAsync(
        string id, AlertState state, IAlertStore store, TimeProvider time, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var alertId))
        {
            return BudgetEndpoints.Invalid("id", "id is an alert's numeric id.");
        }

        return await recorder.ChangeAsync(context, async ct =>
        {
            var before = (await store.ListAsync(null, AlertLookback, ct)).FirstOrDefault(a => a.Id == alertId);
            var alert = await store.AdvanceAsync(alertId, state, time.GetUtcNow(), ct);
            if (alert is null)
            {
                return AdminChange.None(AdminEndpoints.Problem(404, "Unknown alert", $"No alert {alertId}."));
            }

            var after = AlertItem.From(alert);
            return AdminChange.Made(
                Results.Json(after),
                state == AlertState.Resolved ? "alert.resolve" : "alert.acknowledge",
                after.Id,
                ChangeJson.Of(before is null ? null : AlertItem.From(before)),
                ChangeJson.Of(after));
        }, cancellationToken);
    }

    private static async Task<IResult> GetNotifierAsync(string name, IAlertStore store, CancellationToken cancellationToken)
    {
        var notifier = (await store.GetNotifiersAsync(cancellationToken)).FirstOrDefault(n => n.Name == name);
        return notifier is null ? AdminEndpoints.Problem(404, "Unknown notifier", $"No notifier '{name}'.") : Results.Json(NotifierItem.From(notifier));
    }

    private static async Task<IResult> PutNotifierAsync(
        string name, HttpRequest request, IAlertStore store, AlertDispatcher dispatcher, TimeProvider time, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return BudgetEndpoints.Invalid("name", $"A notifier's name is 1 to {MaxNameLength} letters, digits, '-', '_' or '.'.");
        }

        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return BudgetEndpoints.Invalid("body", "The body must be a JSON object: {\"kind\":\"discord|slack|webhook\",\"url\":\"https://…\",\"secret\":\"…\"}.");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return BudgetEndpoints.Invalid("body", "The body must be a JSON object.");
        }

        if (!body.TryGetProperty("kind", out var kindValue) || kindValue.ValueKind != JsonValueKind.String
            || !Enum.TryParse<NotifierKind>(kindValue.GetString(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || char.IsDigit(kindValue.GetString()![0]))
        {
            return BudgetEndpoints.Invalid("kind", "kind is discord, slack or webhook.");
        }

        if (!body.TryGetProperty("url", out var urlValue) || urlValue.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(urlValue.GetString(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return BudgetEndpoints.Invalid("url", "url is an absolute http or https URL.");
        }

        string? secret = null;
        if (body.TryGetProperty("secret", out var secretValue) && secretValue.ValueKind != JsonValueKind.Null)
        {
            if (secretValue.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(secretValue.GetString()) || secretValue.GetString()!.Length > 512)
            {
                return BudgetEndpoints.Invalid("secret", "secret is a string of 1 to 512 characters.");
            }

            secret = secretValue.GetString();
        }

        var notifier = new NotifierConfig { Name = name, Kind = kind, Url = url, Secret = secret, UpdatedAt = time.GetUtcNow() };
        return await recorder.ChangeAsync(context, async ct =>
        {
            var before = (await store.GetNotifiersAsync(ct)).FirstOrDefault(n => n.Name == name);
            await store.PutNotifierAsync(notifier, ct);
            dispatcher.Wake();
            return AdminChange.Made(
                Results.Json(NotifierItem.From(notifier)), "notifier.put", name,
                ChangeJson.Of(NotifierChange.From(before)), ChangeJson.Of(NotifierChange.From(notifier)));
        }, cancellationToken);
    }

    private static Task<IResult> DeleteNotifierAsync(string name, IAlertStore store, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken) =>
        recorder.ChangeAsync(context, async ct =>
        {
            var before = (await store.GetNotifiersAsync(ct)).FirstOrDefault(n => n.Name == name);
            return await store.DeleteNotifierAsync(name, ct)
                ? AdminChange.Made(Results.NoContent(), "notifier.delete", name, ChangeJson.Of(NotifierChange.From(before)), null)
                : AdminChange.None(AdminEndpoints.Problem(404, "Unknown notifier", $"No notifier '{name}'."));
        }, cancellationToken);

    private static async Task<IResult> TestNotifierAsync(string name, IAlertStore store, AlertDispatcher dispatcher, TimeProvider time, CancellationToken cancellationToken)
    {
        var notifier = (await store.GetNotifiersAsync(cancellationToken)).FirstOrDefault(n => n.Name == name);
        if (notifier is null)
        {
            return AdminEndpoints.Problem(404, "Unknown notifier", $"No notifier '{name}'.");
        }

        var alert = new AlertRecord
        {
            Type = "test",
            Severity = "info",
            Scope = "global",
            Subject = BudgetConfigSubject,
            Message = $"A test alert from Helix to notifier '{name}'.",
            CreatedAt = time.GetUtcNow(),
            DedupeKey = "test",
        };
        var error = await dispatcher.SendAsync(notifier, alert, cancellationToken);
        return error is null
            ? Results.Json(new TestResult(true, null))
            : AdminEndpoints.Problem(502, "Delivery failed", $"Notifier '{name}' did not accept the test alert: {error}");
    }

    private const string BudgetConfigSubject = Helix.Core.Budgets.BudgetConfig.GlobalSubject;

    internal sealed record TestResult(bool Delivered, string? Error);

    internal sealed record NotifierItem(string Name, string Kind, string Url, bool HasSecret, DateTimeOffset UpdatedAt)
    {
        public static NotifierItem From(NotifierConfig n) => new(n.Name, n.Kind.ToString().ToLowerInvariant(), n.Url.AbsoluteUri, n.Secret is not null, n.UpdatedAt);
    }

    internal sealed record AlertItem(
        string Id, string Type, string Severity, string State, string? Scope, string? Subject, string? Period, decimal? Threshold,
        string? SpentUsd, string? LimitUsd, long? Calls, decimal? BaselineCalls, string Message, DateTimeOffset CreatedAt,
        DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt)
    {
        public static AlertItem From(AlertRecord a) => new(
            a.Id.ToString(CultureInfo.InvariantCulture), a.Type, a.Severity, a.State.ToString().ToLowerInvariant(), a.Scope, a.Subject, a.Period,
            a.Threshold, Usd.Format(a.SpentUsd), Usd.Format(a.LimitUsd), a.Calls, a.BaselineCalls, a.Message, a.CreatedAt, a.AcknowledgedAt, a.ResolvedAt);
    }
}
