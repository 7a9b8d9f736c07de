using System.Text.Json;
using Helix.Core.Hosting;
using Helix.Core.Pricing;

namespace Helix.Gateway.Admin;

/// <summary>The price book through the admin API: read it, override prices, import a LiteLLM map, re-price past calls.</summary>
internal static class PriceEndpoints
{
    public static RouteGroupBuilder MapPriceEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/prices", GetPrices).WithSummary("The prices in force (built-in and overrides), optionally for one provider or model.");
        admin.MapPut("/prices/overrides", PutOverridesAsync).WithSummary("Add or replace admin price overrides (price-book JSON); effective on the next call.");
        return admin;
    }

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

        return Results.Json(PriceBookDocument.FromEntries(entries), PriceBookDocument.SerializerOptions);
    }

    private static async Task<IResult> PutOverridesAsync(HttpRequest request, IPriceStore store, HelixInitializer initializer, CancellationToken cancellationToken)
    {
        List<PriceEntry> entries;
        try
        {
            using var reader = new StreamReader(request.Body);
            var document = PriceBookDocument.Parse(await reader.ReadToEndAsync(cancellationToken));
            entries = [.. document.ToEntries(isOverride: true)];
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return AdminEndpoints.Problem(400, "Invalid price book", ex.Message);
        }

        if (entries.Count == 0)
        {
            return AdminEndpoints.Problem(400, "Invalid price book", "The document has no prices.");
        }

        await store.SaveOverridesAsync(entries, "admin", cancellationToken);
        await initializer.ReloadPricesAsync(cancellationToken);
        return Results.Json(new { saved = entries.Count });
    }
}
