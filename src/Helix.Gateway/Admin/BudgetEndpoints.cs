using System.Globalization;
using System.Text.Json;
using Helix.Core.Budgets;
using Helix.Gateway.Access;
using Helix.Gateway.Audit;

namespace Helix.Gateway.Admin;

/// <summary>Budgets and spend through the admin API; money as decimal strings, bad input as ProblemDetails naming the field.</summary>
internal static class BudgetEndpoints
{
    private const int MaxHistoryDays = 366;

    public static RouteGroupBuilder MapBudgetEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/budgets", (BudgetService budgets) => Results.Json(new AdminEndpoints.ItemList<BudgetItem>([.. budgets.List().Select(BudgetItem.From)]))).RequireAccess(AdminAccess.Read)
            .WithSummary("Every budget with its current period's spentUsd, reservedUsd and remainingUsd.");
        admin.MapPut("/budgets", PutAsync).RequireAccess(AdminAccess.Operate).WithSummary("Add a budget, or replace the one with the same scope, subject and period.");
        admin.MapDelete("/budgets/{id}", DeleteAsync).RequireAccess(AdminAccess.Operate).WithSummary("Delete a budget.");
        admin.MapGet("/budgets/{id}/history", HistoryAsync).RequireAccess(AdminAccess.Read).WithSummary("The budget's scope's spend per UTC day, 30 days by default (?days=).");
        admin.MapGet("/spend", SpendAsync).RequireAccess(AdminAccess.Read).WithSummary("Spend per UTC day or month and per operation, model, user or key: ?period=day|month&groupBy=…&from=&to=.");
        return admin;
    }

    private static async Task<IResult> PutAsync(HttpRequest request, BudgetService budgets, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Invalid("body", "The body must be a JSON object: {\"scope\",\"subject\",\"period\",\"limitUsd\",\"hard\",\"thresholds\",\"timeZone\"}.");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid("body", "The body must be a JSON object.");
        }

        if (!TryEnum<BudgetScope>(body, "scope", out var scope))
        {
            return Invalid("scope", "scope is one of global, user, operation, key.");
        }

        string subject = BudgetConfig.GlobalSubject;
        if (scope != BudgetScope.Global)
        {
            if (!body.TryGetProperty("subject", out var s) || s.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(s.GetString()) || s.GetString()!.Length > 200)
            {
                return Invalid("subject", $"subject names the {scope.ToString().ToLowerInvariant()} limited (1 to 200 characters).");
            }

            subject = s.GetString()!;
        }

        if (!TryEnum<BudgetPeriod>(body, "period", out var period))
        {
            return Invalid("period", "period is day or month.");
        }

        if (!body.TryGetProperty("limitUsd", out var limitValue)
            || !(limitValue.ValueKind == JsonValueKind.String
                ? decimal.TryParse(limitValue.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var limit)
                : limitValue.ValueKind == JsonValueKind.Number && limitValue.TryGetDecimal(out limit))
            || limit <= 0 || limit > 1_000_000_000m)
        {
            return Invalid("limitUsd", "limitUsd is a positive amount in USD as a decimal string, e.g. \"10.00\".");
        }

        var hard = true;
        if (body.TryGetProperty("hard", out var hardValue))
        {
            if (hardValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Invalid("hard", "hard is true (refuse) or false (alert only).");
            }

            hard = hardValue.GetBoolean();
        }

        IReadOnlyList<decimal> thresholds = BudgetConfig.DefaultThresholds;
        if (body.TryGetProperty("thresholds", out var thresholdValues) && thresholdValues.ValueKind != JsonValueKind.Null)
        {
            if (thresholdValues.ValueKind != JsonValueKind.Array || thresholdValues.GetArrayLength() is 0 or > 16)
            {
                return Invalid("thresholds", "thresholds is an array of 1 to 16 fractions in (0, 1].");
            }

            List<decimal> parsed = [];
            foreach (var item in thresholdValues.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDecimal(out var t) || t <= 0 || t > 1)
                {
                    return Invalid("thresholds", "Each threshold is a fraction of the limit in (0, 1], e.g. 0.8.");
                }

                parsed.Add(t);
            }

            thresholds = [.. parsed.Distinct().Order()];
        }

        var zone = BudgetConfig.UtcZone;
        if (body.TryGetProperty("timeZone", out var zoneValue) && zoneValue.ValueKind != JsonValueKind.Null)
        {
            if (zoneValue.ValueKind != JsonValueKind.String || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneValue.GetString()!, out _))
            {
                return Invalid("timeZone", "timeZone is an IANA time zone this machine knows, e.g. \"Europe/Lisbon\".");
            }

            zone = zoneValue.GetString()!;
        }

        var budget = new BudgetConfig
        {
            Scope = scope,
            Subject = subject,
            Period = period,
            LimitUsd = limit,
            Hard = hard,
            Thresholds = thresholds,
            TimeZone = zone,
        };
        return await recorder.ChangeAsync(context, async ct =>
        {
            // The budget this one replaces: same scope, subject and period.
            var replaced = budgets.List().Select(v => v.Budget).FirstOrDefault(b => b.Scope == scope && b.Period == period && string.Equals(b.Subject, subject, StringComparison.Ordinal));
            var stored = await budgets.PutAsync(budget, ct);
            var response = budgets.Find(stored.Id) is { } view ? Results.Json(BudgetItem.From(view)) : Results.Json(stored);
            return AdminChange.Made(response, "budget.put", stored.Id.ToString(CultureInfo.InvariantCulture), ChangeJson.Of(BudgetChange.From(replaced)), ChangeJson.Of(BudgetChange.From(stored)));
        }, cancellationToken);
    }

    private static async Task<IResult> DeleteAsync(string id, BudgetService budgets, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var budgetId))
        {
            return Invalid("id", "id is a budget's numeric id, as GET /admin/api/budgets lists them.");
        }

        return await recorder.ChangeAsync(context, async ct =>
        {
            var before = budgets.Find(budgetId)?.Budget;
            return await budgets.DeleteAsync(budgetId, ct)
                ? AdminChange.Made(Results.NoContent(), "budget.delete", budgetId.ToString(CultureInfo.InvariantCulture), ChangeJson.Of(BudgetChange.From(before)), null)
                : AdminChange.None(AdminEndpoints.Problem(404, "Unknown budget", $"No budget {budgetId}."));
        }, cancellationToken);
    }

    /// <summary>A budget as the change history holds it: its settings, not its spend (which moves with every call).</summary>
    internal sealed record BudgetChange(string Id, string Scope, string Subject, string Period, string LimitUsd, bool Hard, IReadOnlyList<decimal> Thresholds, string TimeZone)
    {
        public static BudgetChange? From(BudgetConfig? b) => b is null
            ? null
            : new(b.Id.ToString(CultureInfo.InvariantCulture), b.Scope.ToString().ToLowerInvariant(), b.Subject, b.Period.ToString().ToLowerInvariant(),
                Usd.Format(b.LimitUsd), b.Hard, b.Thresholds, b.TimeZone);
    }

    private static async Task<IResult> HistoryAsync(string id, string? days, BudgetService budgets, IBudgetStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var budgetId) || budgets.Find(budgetId) is not { } view)
        {
            return AdminEndpoints.Problem(404, "Unknown budget", $"No budget '{id}'.");
        }

        var count = 30;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxHistoryDays))
        {
            return Invalid("days", $"days is a whole number from 1 to {MaxHistoryDays}.");
        }

        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var items = new List<DayItem>(count);
        for (var day = today.AddDays(1 - count); day <= today; day = day.AddDays(1))
        {
            var spent = await store.GetSpendNanosAsync(view.Budget.Scope, view.Budget.Subject, day, day.AddDays(1), cancellationToken);
            items.Add(new DayItem(DateOnly.FromDateTime(day.UtcDateTime), Usd.Format(UsdNanos.ToUsd(spent))));
        }

        return Results.Json(new AdminEndpoints.ItemList<DayItem>(items));
    }

    private static async Task<IResult> SpendAsync(string? period, string? groupBy, string? from, string? to, IBudgetStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var bucket = BudgetPeriod.Day;
        if (period is not null && !TryParseEnum(period, out bucket))
        {
            return Invalid("period", "period is day or month.");
        }

        var grouping = SpendGrouping.Operation;
        if (groupBy is not null && !TryParseEnum(groupBy, out grouping))
        {
            return Invalid("groupBy", "groupBy is operation, model, user or key.");
        }

        var now = time.GetUtcNow();
        var end = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        var start = end.AddDays(-30);
        if (from is not null && !TryInstant(from, out start))
        {
            return Invalid("from", "from is a date (2026-12-01) or an ISO-8601 instant.");
        }

        if (to is not null && !TryInstant(to, out end))
        {
            return Invalid("to", "to is a date (2026-12-31, exclusive) or an ISO-8601 instant.");
        }

        if (end <= start)
        {
            return Invalid("to", "to must be after from.");
        }

        var rows = await store.GetSpendAsync(new SpendQuery(bucket, grouping, start, end), cancellationToken);
        var total = rows.Sum(r => r.SpentNanos);
        return Results.Json(new SpendBody(
            bucket.ToString().ToLowerInvariant(), grouping.ToString().ToLowerInvariant(), start, end, Usd.Format(UsdNanos.ToUsd(total)),
            [.. rows.Select(r => new SpendItem(r.Bucket, r.Group, Usd.Format(UsdNanos.ToUsd(r.SpentNanos)), r.Calls, r.Attempts))]));
    }

    internal static IResult Invalid(string field, string detail) =>
        Results.Problem(title: $"Invalid {field}", detail: detail, statusCode: 400, extensions: new Dictionary<string, object?> { ["field"] = field });

    private static bool TryEnum<T>(JsonElement body, string name, out T value)
        where T : struct, Enum
    {
        value = default;
        return body.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && TryParseEnum(element.GetString()!, out value);
    }

    private static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsDigit(text.TrimStart()[0]);

    private static bool TryInstant(string text, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    internal sealed record BudgetItem(
        string Id, string Scope, string Subject, string Period, string LimitUsd, bool Hard, IReadOnlyList<decimal> Thresholds, string TimeZone,
        string SpentUsd, string ReservedUsd, string RemainingUsd, DateTimeOffset PeriodStart, DateTimeOffset ResetsAt, DateTimeOffset UpdatedAt)
    {
        public static BudgetItem From(BudgetView view)
        {
            var b = view.Budget;
            return new BudgetItem(
                b.Id.ToString(CultureInfo.InvariantCulture), b.Scope.ToString().ToLowerInvariant(), b.Subject, b.Period.ToString().ToLowerInvariant(),
                Usd.Format(b.LimitUsd), b.Hard, b.Thresholds, b.TimeZone,
                Usd.Format(view.SpentUsd), Usd.Format(view.ReservedUsd), Usd.Format(view.RemainingUsd), view.Window.Start, view.Window.End, b.UpdatedAt);
        }
    }

    internal sealed record DayItem(DateOnly Day, string SpentUsd);

    internal sealed record SpendItem(DateTimeOffset Bucket, string? Group, string SpentUsd, long Calls, long Attempts);

    internal sealed record SpendBody(string Period, string GroupBy, DateTimeOffset From, DateTimeOffset To, string TotalUsd, IReadOnlyList<SpendItem> Items);
}
