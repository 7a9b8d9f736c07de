using System.Text.Json;
using Helix.Core.Hosting;
using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;
using Helix.Gateway.Access;
using Helix.Gateway.Audit;

namespace Helix.Gateway.Admin;

/// <summary>The price book through the admin API: read it, override prices, import a LiteLLM map, re-price past calls.</summary>
internal static class PriceEndpoints
{
    // The price-book format with every rate as a decimal string: money on the admin API is never a JSON number.
    // PUT /prices/overrides reads it back as it is (the document reads strings and numbers alike).
    private static readonly JsonSerializerOptions s_moneyAsStrings = new(PriceBookDocument.SerializerOptions)
    {
        Converters = { DecimalStringJsonConverter.Instance },
    };

    public static RouteGroupBuilder MapPriceEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/prices", GetPrices).RequireAccess(AdminAccess.Read).WithSummary("The prices in force (built-in and overrides), optionally for one provider or model.");
        admin.MapPut("/prices/overrides", PutOverridesAsync).RequireAccess(AdminAccess.Administer).WithSummary("Add or replace admin price overrides (price-book JSON); effective on the next call.")
            .Accepts<PriceBookDocument>("application/json");
        admin.MapDelete("/prices/overrides/{**model}", DeleteOverrideAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Remove the admin override of a model (provider/model, or a model id one override matches); its other prices apply from the next call.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/prices/import", ImportAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Plan (apply=false) or apply (apply=true) a LiteLLM price map: what is added, changed, unchanged; applied prices are overrides from effectiveFrom.");
        admin.MapPost("/logs/reprice", RepriceAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Re-price past calls with the prices in force now; original rows are kept, new costs are recorded as adjustments.");
        return admin;
    }

    private static async Task<IResult> ImportAsync(
        HttpRequest request, string? format, bool? apply, DateTimeOffset? effectiveFrom, PriceImporter importer, ChangeRecorder recorder, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (!string.Equals(format ?? "litellm", "litellm", StringComparison.OrdinalIgnoreCase))
        {
            return AdminEndpoints.Problem(400, "Unsupported format", $"Price maps are imported in the LiteLLM format (format=litellm), not '{format}'.");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var planned = importer.Plan(body.GetBuffer().AsMemory(0, (int)body.Length), effectiveFrom);
        if (!planned.IsSuccess)
        {
            return AdminEndpoints.Problem(400, "Invalid price map", planned.Error.Message);
        }

        var (plan, refused, _) = planned.Value!;
        if (apply != true || !plan.HasChanges)
        {
            return Results.Json(PriceImportPlanBody.From(plan, applied: false, refused));
        }

        return await recorder.ChangeAsync(context, async ct =>
        {
            var change = (await importer.ApplyAsync(context.GetPrincipal(), plan, ct))!;
            return AdminChange.Made(Results.Json(PriceImportPlanBody.From(plan, applied: true, refused)), change.Action, change.Target, change.Before, change.After);
        }, cancellationToken);
    }

    // The admin overrides now in force of the models in entries, as a price book (null when there are none).
    private static async Task<string?> OverridesOfAsync(IPriceStore store, IReadOnlyList<PriceEntry> entries, CancellationToken cancellationToken)
    {
        var models = entries.Select(e => PriceBook.Key(e.Provider, e.Model)).ToHashSet(StringComparer.Ordinal);
        var current = (await store.GetOverridesAsync(cancellationToken)).Where(e => models.Contains(PriceBook.Key(e.Provider, e.Model))).ToArray();
        return current.Length == 0 ? null : PriceBookJson(current);
    }

    private static string PriceBookJson(IEnumerable<PriceEntry> entries) => ChangeJson.Of(PriceBookDocument.FromEntries(entries), s_moneyAsStrings);

    private static string PriceTarget(IReadOnlyList<PriceEntry> entries)
    {
        var models = entries.Select(e => PriceBook.Key(e.Provider, e.Model)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return models.Length == 1 ? models[0] : $"{models.Length} models";
    }

    private static async Task<IResult> RepriceAsync(RepriceRequest? body, LogRepricer repricer, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        if (body?.From is not { } from || body.To is not { } to || to <= from || from < DateTimeOffset.UnixEpoch || to.Year > 9999 - 1)
        {
            return AdminEndpoints.Problem(400, "Invalid range", "Send {\"from\":\"<ISO-8601>\",\"to\":\"<ISO-8601>\"} with to after from; optional provider and model.");
        }

        Func<Helix.Core.OperationLog.OperationLogEntry, bool>? filter = body.Provider is null && body.Model is null
            ? null
            : row => (body.Provider is null || string.Equals(row.Provider, body.Provider, StringComparison.OrdinalIgnoreCase))
                && (body.Model is null || string.Equals(row.Model, body.Model, StringComparison.OrdinalIgnoreCase));
        return await recorder.ChangeAsync(context, async ct =>
        {
            var result = await repricer.RepriceAsync(from, to, context.GetPrincipal().Id, filter, ct);
            var summary = new RepriceSummary(result.Examined, result.Changed, result.StillUnpriced, result.Skipped, Usd.Format(result.DeltaUsd));
            if (result.Changed == 0)
            {
                // Nothing was adjusted: nothing to record.
                return AdminChange.None(Results.Json(summary));
            }

            return AdminChange.Made(
                Results.Json(summary), "prices.reprice", "operation_log", null,
                ChangeJson.Of(new { from, to, provider = body.Provider, model = body.Model, result = summary }));
        }, cancellationToken);
    }

    internal sealed record RepriceSummary(int Examined, int Changed, int StillUnpriced, int Skipped, string DeltaUsd);

    private static Task<IResult> DeleteOverrideAsync(
        string model, IPriceStore store, HelixInitializer initializer, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken) =>
        recorder.ChangeAsync(context, ct => RemoveOverrideAsync(model, store, initializer, context.GetPrincipal().Id, ct), cancellationToken);

    private static async Task<AdminChange> RemoveOverrideAsync(string model, IPriceStore store, HelixInitializer initializer, string actor, CancellationToken cancellationToken)
    {
        var overridden = (await store.GetOverridesAsync(cancellationToken))
            .Select(e => PriceBook.Key(e.Provider, e.Model))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var wanted = model.Trim().ToLowerInvariant();
        var matches = wanted.Contains('/', StringComparison.Ordinal)
            ? overridden.Where(k => string.Equals(k, wanted, StringComparison.Ordinal)).ToArray()
            : overridden.Where(k => string.Equals(k[(k.IndexOf('/', StringComparison.Ordinal) + 1)..], wanted, StringComparison.Ordinal)).ToArray();
        if (matches.Length != 1)
        {
            return AdminChange.None(AdminEndpoints.Problem(
                matches.Length == 0 ? 404 : 400,
                matches.Length == 0 ? "No such override" : "Ambiguous model",
                matches.Length == 0
                    ? $"No admin price override of '{model}'. Overridden now: {(overridden.Length == 0 ? "none" : string.Join(", ", overridden))}."
                    : $"'{model}' names the overrides of {string.Join(", ", matches)}; name one as provider/model."));
        }

        var removed = (await store.GetOverridesAsync(cancellationToken)).Where(e => string.Equals(PriceBook.Key(e.Provider, e.Model), matches[0], StringComparison.Ordinal)).ToArray();
        await store.RemoveOverridesAsync(matches, actor, cancellationToken);
        await initializer.ReloadPricesAsync(cancellationToken);
        return AdminChange.Made(Results.Json(new { removed = matches[0] }), "prices.override.delete", matches[0], PriceBookJson(removed), null);
    }

    internal sealed record RepriceRequest(DateTimeOffset? From, DateTimeOffset? To, string? Provider, string? Model);

    private static IResult GetPrices(CostEngine costs, string? provider, string? model)
    {
        var entries = costs.Book.Entries.AsEnumerable();
        if (!string.IsNullOrWhiteSpace(provider))
        {
            entries = entries.Where(e => string.Equals(e.Provider, provider, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrWhiteSpace(model))
        {
            var key = provider is null ? null : costs.Book.Resolve(provider, model);
            entries = entries.Where(e => key is not null
                ? string.Equals(PriceBook.Key(e.Provider, e.Model), key, StringComparison.Ordinal)
                : string.Equals(e.Model, model, StringComparison.OrdinalIgnoreCase));
        }

        return Results.Json(PriceBookDocument.FromEntries(entries), s_moneyAsStrings);
    }

    private static async Task<IResult> PutOverridesAsync(
        HttpRequest request, IPriceStore store, HelixInitializer initializer, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<PriceEntry> entries;
        var refused = new List<string>();
        try
        {
            using var reader = new StreamReader(request.Body);
            var document = PriceBookDocument.Parse(await reader.ReadToEndAsync(cancellationToken));
            entries = document.ToCheckedEntries(isOverride: true, refused);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return AdminEndpoints.Problem(400, "Invalid price book", ex.Message);
        }

        // All or nothing: a document with one refused price changes no price.
        if (refused.Count > 0)
        {
            return Results.Problem(
                title: "Invalid price book",
                detail: $"{refused.Count} price(s) refused; nothing was saved: {string.Join(" ", refused)}",
                statusCode: 400,
                extensions: new Dictionary<string, object?> { ["refused"] = refused });
        }

        if (entries.Count == 0)
        {
            return AdminEndpoints.Problem(400, "Invalid price book", "The document has no prices.");
        }

        return await recorder.ChangeAsync(context, async ct =>
        {
            var before = await OverridesOfAsync(store, entries, ct);
            await store.SaveOverridesAsync(entries, context.GetPrincipal().Id, ct);
            await initializer.ReloadPricesAsync(ct);
            return AdminChange.Made(Results.Json(new { saved = entries.Count }), "prices.override.put", PriceTarget(entries), before, PriceBookJson(entries));
        }, cancellationToken);
    }
}
