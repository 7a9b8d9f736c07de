using System.Text.Json;
using Helix.Core.Savings;
using Helix.Gateway.Access;

namespace Helix.Gateway.Admin;

/// <summary>The savings calculator over the admin API: JSON, or CSV with <c>Accept: text/csv</c> or <c>?format=csv</c>.</summary>
internal static class SavingsEndpoints
{
    private const string Shape = "Send {\"operation\":\"<name>\",\"model\":\"<model>\"} or {\"changes\":[{\"operation\",\"model\",\"serviceTier\"?}]}, and optionally \"days\" (1 to 366, 30 by default).";

    public static RouteGroupBuilder MapSavingsEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/savings", GetAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("Replay the log under a change: ?operation=&model=&serviceTier=&inPriceWindow=&pricesAsOf=&days=30; each served call re-priced at the candidate's prices in force then.");
        admin.MapPost("/savings", PostAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("Replay the log under a routing plan: {\"changes\":[{\"operation\",\"model\",\"serviceTier\"?,\"inPriceWindow\"?,\"pricesAsOf\"?}],\"days\"?}.");
        return admin;
    }

    private static async Task<IResult> GetAsync(
        HttpContext context, SavingsCalculator calculator, string? operation, string? model, string? serviceTier, string? days,
        string? inPriceWindow, string? pricesAsOf, string? format, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(operation) || string.IsNullOrWhiteSpace(model))
        {
            return AdminEndpoints.Problem(400, "Invalid plan", "Give ?operation=<name>&model=<model> (and optionally serviceTier, days).");
        }

        var window = SavingsPlan.DefaultDays;
        if (days is not null && !SavingsPlanText.TryParseDays(days, out window))
        {
            return AdminEndpoints.Problem(400, "Invalid days", SavingsPlanText.DaysProblem);
        }

        var inWindow = false;
        if (inPriceWindow is not null && !bool.TryParse(inPriceWindow, out inWindow))
        {
            return AdminEndpoints.Problem(400, "Invalid inPriceWindow", SavingsPlanText.InPriceWindowProblem);
        }

        DateTimeOffset? asOf = null;
        if (pricesAsOf is not null)
        {
            if (!SavingsPlanText.TryParseInstant(pricesAsOf, out var instant))
            {
                return AdminEndpoints.Problem(400, "Invalid pricesAsOf", SavingsPlanText.PricesAsOfProblem);
            }

            asOf = instant;
        }

        var change = new PlannedChange(operation, model, NullIfEmpty(serviceTier)) { InPriceWindow = inWindow, PricesAsOf = asOf };
        return await RunAsync(context, calculator, new SavingsPlan([change], window), format, cancellationToken);
    }

    private static async Task<IResult> PostAsync(HttpContext context, SavingsCalculator calculator, string? format, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return AdminEndpoints.Problem(400, "Invalid plan", Shape);
        }

        if (AdminJsonBody.Problem(body, "operation", "model", "serviceTier", "inPriceWindow", "pricesAsOf", "changes", "days") is { } problem)
        {
            return AdminEndpoints.Problem(400, "Invalid plan", problem + " " + Shape);
        }

        var window = SavingsPlan.DefaultDays;
        if (body.TryGetProperty("days", out var daysValue) && (daysValue.ValueKind != JsonValueKind.Number || !daysValue.TryGetInt32(out window) || !SavingsPlanText.IsValidDays(window)))
        {
            return AdminEndpoints.Problem(400, "Invalid days", SavingsPlanText.DaysProblem);
        }

        List<PlannedChange> changes = [];
        if (body.TryGetProperty("changes", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > 100)
            {
                return AdminEndpoints.Problem(400, "Invalid plan", "changes is an array of 1 to 100 {\"operation\",\"model\",\"serviceTier\"?}.");
            }

            foreach (var item in list.EnumerateArray())
            {
                if (AdminJsonBody.Problem(item, "operation", "model", "serviceTier", "inPriceWindow", "pricesAsOf") is not null || ReadChange(item) is not { } change)
                {
                    return AdminEndpoints.Problem(400, "Invalid plan", "Each change is {\"operation\":\"<name>\",\"model\":\"<model>\"} with an optional \"serviceTier\", \"inPriceWindow\" (true or false) and \"pricesAsOf\" (an ISO 8601 instant).");
                }

                changes.Add(change);
            }
        }
        else if (ReadChange(body) is { } single)
        {
            changes.Add(single);
        }
        else
        {
            return AdminEndpoints.Problem(400, "Invalid plan", Shape);
        }

        return await RunAsync(context, calculator, new SavingsPlan(changes, window), format, cancellationToken);
    }

    private static PlannedChange? ReadChange(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("operation", out var operation) || operation.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(operation.GetString())
            || !item.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return null;
        }

        string? tier = null;
        if (item.TryGetProperty("serviceTier", out var tierValue) && tierValue.ValueKind != JsonValueKind.Null)
        {
            if (tierValue.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(tierValue.GetString()))
            {
                return null;
            }

            tier = tierValue.GetString();
        }

        var inWindow = false;
        if (item.TryGetProperty("inPriceWindow", out var windowValue) && windowValue.ValueKind != JsonValueKind.Null)
        {
            if (windowValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return null;
            }

            inWindow = windowValue.GetBoolean();
        }

        DateTimeOffset? asOf = null;
        if (item.TryGetProperty("pricesAsOf", out var asOfValue) && asOfValue.ValueKind != JsonValueKind.Null)
        {
            if (asOfValue.ValueKind != JsonValueKind.String || !SavingsPlanText.TryParseInstant(asOfValue.GetString(), out var instant))
            {
                return null;
            }

            asOf = instant;
        }

        return new PlannedChange(operation.GetString()!, model.GetString()!, tier) { InPriceWindow = inWindow, PricesAsOf = asOf };
    }

    private static async Task<IResult> RunAsync(HttpContext context, SavingsCalculator calculator, SavingsPlan plan, string? format, CancellationToken cancellationToken)
    {
        var wantsCsv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
            || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
        if (format is not null && !wantsCsv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            return AdminEndpoints.Problem(400, "Invalid format", "format is json or csv.");
        }

        var result = await calculator.CalculateAsync(plan, cancellationToken);
        if (!result.IsSuccess)
        {
            return AdminEndpoints.Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
        }

        var report = result.Value;
        return wantsCsv
            ? Results.Text(SavingsCsv.Write(report), "text/csv; charset=utf-8")
            : Results.Json(SavingsBody.Of(report, plan.Days));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
