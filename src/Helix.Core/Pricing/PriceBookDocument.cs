using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helix.Core.Pricing;

/// <summary>The JSON form of a price book: the built-in book, admin overrides and exports share it.</summary>
/// <remarks>
/// <code>
/// {"models":[{"provider":"openai","model":"gpt-4o","aliases":["gpt-4o-2024-08-06"],
///   "prices":[{"effectiveFrom":null,"effectiveUntil":null,"source":"…","sourceDate":"2026-07-24",
///     "rates":{"input":2.5,"cacheRead":1.25,"output":10},
///     "longContext":{"thresholdPromptTokens":200000,"rates":{…}},
///     "serviceTiers":{"batch":{"multiplier":0.5},"priority":{"rates":{…}}},
///     "timeWindows":[{"startUtc":"16:30","endUtc":"00:30","rates":{…}}]}]}]}
/// </code>
/// Token rates are USD per 1M tokens; see <see cref="PriceRates"/> for every unit.
/// </remarks>
public sealed class PriceBookDocument
{
    private static readonly string[] s_timeFormats = ["HH:mm", "HH:mm:ss"];

    /// <summary>Serializer options for the document (camelCase, decimals as JSON numbers; decimal strings are read too).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>The models of the book.</summary>
    public List<ModelPrices> Models { get; init; } = [];

    /// <summary>Reads a document.</summary>
    /// <exception cref="JsonException">The JSON is not a price book.</exception>
    public static PriceBookDocument Parse(string json) =>
        JsonSerializer.Deserialize<PriceBookDocument>(json, SerializerOptions) ?? throw new JsonException("The price book is empty.");

    /// <summary>Builds a book from the document.</summary>
    /// <param name="isOverride">Whether the entries are admin overrides.</param>
    /// <exception cref="FormatException">An entry is incomplete; the message names it.</exception>
    public PriceBook ToPriceBook(bool isOverride = false) => new(ToEntries(isOverride), ToAliases());

    /// <summary>The entries of the document.</summary>
    /// <exception cref="FormatException">An entry is incomplete or inconsistent; the message names the model.</exception>
    public IEnumerable<PriceEntry> ToEntries(bool isOverride = false)
    {
        foreach (var model in Models ?? throw new FormatException("The price book has no models list."))
        {
            if (model is null || string.IsNullOrWhiteSpace(model.Provider) || string.IsNullOrWhiteSpace(model.Model))
            {
                throw new FormatException("Every model needs a provider and a model id.");
            }

            foreach (var price in model.Prices ?? throw new FormatException($"{model.Provider}/{model.Model} has no prices list."))
            {
                yield return Entry(model, price, isOverride);
            }
        }
    }

    /// <summary>The entries of the document that are complete and within <see cref="PriceEntryValidator"/>'s bounds.</summary>
    /// <param name="isOverride">Whether the entries are admin overrides.</param>
    /// <param name="refused">Receives one line per refused price or model, naming it and why.</param>
    /// <returns>The accepted entries; callers that apply a document all or nothing check <paramref name="refused"/> first.</returns>
    public IReadOnlyList<PriceEntry> ToCheckedEntries(bool isOverride, ICollection<string> refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var entries = new List<PriceEntry>();
        if (Models is null)
        {
            refused.Add("The price book has no models list.");
            return entries;
        }

        for (var i = 0; i < Models.Count; i++)
        {
            var model = Models[i];
            if (model is null || string.IsNullOrWhiteSpace(model.Provider) || string.IsNullOrWhiteSpace(model.Model))
            {
                refused.Add($"models[{i}]: every model needs a provider and a model id.");
                continue;
            }

            if (model.Prices is null)
            {
                refused.Add($"models[{i}] ({model.Provider}/{model.Model}): it has no prices list.");
                continue;
            }

            for (var j = 0; j < model.Prices.Count; j++)
            {
                if (model.Prices[j] is not { } price)
                {
                    refused.Add($"models[{i}].prices[{j}] ({model.Provider}/{model.Model}): the price is null.");
                    continue;
                }

                PriceEntry entry;
                try
                {
                    entry = Entry(model, price, isOverride);
                }
                catch (FormatException ex)
                {
                    refused.Add($"models[{i}].prices[{j}]: {ex.Message}");
                    continue;
                }

                var problems = PriceEntryValidator.Problems(entry);
                if (problems.Count > 0)
                {
                    foreach (var problem in problems)
                    {
                        refused.Add($"models[{i}].prices[{j}]: {problem}");
                    }

                    continue;
                }

                entries.Add(entry);
            }
        }

        return entries;
    }

    private static PriceEntry Entry(ModelPrices model, PricePeriod? price, bool isOverride)
    {
        var name = $"{model.Provider}/{model.Model}";
        if (price is null)
        {
            throw new FormatException($"A price of {name} is null.");
        }

        var (rates, sourceDate) = Validate(price, name);
        return new PriceEntry
        {
            Provider = model.Provider.ToLowerInvariant(),
            Model = model.Model.ToLowerInvariant(),
            EffectiveFrom = price.EffectiveFrom,
            EffectiveUntil = price.EffectiveUntil,
            Rates = rates,
            LongContext = price.LongContext,
            ServiceTiers = price.ServiceTiers is null
                ? new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, ServiceTierPrice>(price.ServiceTiers, StringComparer.OrdinalIgnoreCase),
            TimeWindows = price.TimeWindows?.Select(w => new TimeWindowPrice(
                ParseTime(w.StartUtc, name), ParseTime(w.EndUtc, name), w.Rates)).ToArray() ?? [],
            Source = price.Source,
            SourceDate = sourceDate,
            IsOverride = isOverride,
        };
    }

    // An incomplete price must fail when the book is loaded, never as a null rate set on the request path.
    private static (PriceRates Rates, DateOnly SourceDate) Validate(PricePeriod price, string name)
    {
        if (price.Rates is not { } rates)
        {
            throw new FormatException($"A price of {name} has no rates.");
        }

        if (price.ServiceTiers?.Keys.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
        {
            throw new FormatException($"A service tier of {name} has no name.");
        }

        if (string.IsNullOrWhiteSpace(price.Source))
        {
            throw new FormatException($"A price of {name} has no source.");
        }

        if (price.SourceDate is not { } sourceDate)
        {
            throw new FormatException($"A price of {name} has no sourceDate.");
        }

        if (price.EffectiveFrom is { } from && price.EffectiveUntil is { } until && until <= from)
        {
            throw new FormatException($"A price of {name} ends ({until:O}) before it starts ({from:O}).");
        }

        if (price.LongContext is { Rates: null })
        {
            throw new FormatException($"The long-context tier of {name} has no rates.");
        }

        if (price.TimeWindows?.Exists(w => w?.Rates is null) == true)
        {
            throw new FormatException($"A time window of {name} has no rates.");
        }

        if (price.ServiceTiers?.FirstOrDefault(t => t.Value is null) is { Key: { } tier })
        {
            throw new FormatException($"The service tier '{tier}' of {name} has no price.");
        }

        return (rates, sourceDate);
    }

    private static TimeOnly ParseTime(string value, string name) =>
        TimeOnly.TryParseExact(value, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw new FormatException($"A time window of {name} has '{value}' where HH:mm (UTC) is expected.");

    /// <summary>The aliases of the document, as <c>provider/alias</c> → <c>provider/model</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToAliases()
    {
        foreach (var model in Models)
        {
            foreach (var alias in model.Aliases ?? [])
            {
                yield return new(PriceBook.Key(model.Provider, alias), PriceBook.Key(model.Provider, model.Model));
            }
        }
    }

    /// <summary>A document holding <paramref name="entries"/>.</summary>
    public static PriceBookDocument FromEntries(IEnumerable<PriceEntry> entries) => new()
    {
        Models = [.. entries.GroupBy(e => (e.Provider, e.Model)).Select(g => new ModelPrices
        {
            Provider = g.Key.Provider,
            Model = g.Key.Model,
            Prices = [.. g.Select(e => new PricePeriod
            {
                EffectiveFrom = e.EffectiveFrom,
                EffectiveUntil = e.EffectiveUntil,
                Source = e.Source,
                SourceDate = e.SourceDate,
                Rates = e.Rates,
                LongContext = e.LongContext,
                ServiceTiers = e.ServiceTiers.Count == 0 ? null : new Dictionary<string, ServiceTierPrice>(e.ServiceTiers),
                TimeWindows = e.TimeWindows.Count == 0 ? null : [.. e.TimeWindows.Select(w => new TimeWindowDocument
                {
                    StartUtc = w.StartUtc.ToString("HH:mm", CultureInfo.InvariantCulture),
                    EndUtc = w.EndUtc.ToString("HH:mm", CultureInfo.InvariantCulture),
                    Rates = w.Rates,
                })],
            })],
        })],
    };

    /// <summary>One model's prices.</summary>
    public sealed class ModelPrices
    {
        public string Provider { get; init; } = "";
        public string Model { get; init; } = "";
        public List<string>? Aliases { get; init; }
        public List<PricePeriod> Prices { get; init; } = [];
    }

    /// <summary>One period of a model's prices.</summary>
    public sealed class PricePeriod
    {
        public DateTimeOffset? EffectiveFrom { get; init; }
        public DateTimeOffset? EffectiveUntil { get; init; }
        public string Source { get; init; } = "";
        public DateOnly? SourceDate { get; init; }
        public PriceRates? Rates { get; init; }
        public LongContextTier? LongContext { get; init; }
        public Dictionary<string, ServiceTierPrice>? ServiceTiers { get; init; }
        public List<TimeWindowDocument>? TimeWindows { get; init; }
    }

    /// <summary>A time-of-day window.</summary>
    public sealed class TimeWindowDocument
    {
        public string StartUtc { get; init; } = "";
        public string EndUtc { get; init; } = "";
        public PriceRates Rates { get; init; } = new();
    }
}
