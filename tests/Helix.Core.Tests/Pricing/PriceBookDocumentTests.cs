using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Pricing;
using Xunit;

namespace Helix.Core.Tests.Pricing;

public sealed class PriceBookDocumentTests
{
    private static readonly DateTimeOffset s_now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_supportedProviders = ["openai", "deepseek", "gemini", "anthropic", "deepgram", "edge-tts"];

    [Fact]
    public void Parse_DocumentOfEveryFeature_ReadsEveryField()
    {
        var document = PriceBookDocument.Parse("""
            {"models":[{"provider":"DeepSeek","model":"Deepseek-Chat","aliases":["ds"],
              "prices":[{"effectiveFrom":"2025-01-01T00:00:00Z","effectiveUntil":"2025-09-05T00:00:00Z",
                "source":"page","sourceDate":"2025-07-12",
                "rates":{"input":0.27,"cacheRead":0.07,"output":1.1,"cacheStoragePerMillionTokenHours":4.5,"webSearchPerThousand":35},
                "longContext":{"thresholdPromptTokens":200000,"rates":{"input":2}},
                "serviceTiers":{"Batch":{"multiplier":0.5},"priority":{"rates":{"input":1}}},
                "timeWindows":[{"startUtc":"16:30","endUtc":"00:30","rates":{"input":0.135}}]}]}]}
            """);

        var entry = Assert.Single(document.ToEntries());

        Assert.Equal("deepseek", entry.Provider);
        Assert.Equal("deepseek-chat", entry.Model);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), entry.EffectiveFrom);
        Assert.Equal(new DateTimeOffset(2025, 9, 5, 0, 0, 0, TimeSpan.Zero), entry.EffectiveUntil);
        Assert.Equal("page", entry.Source);
        Assert.Equal(new DateOnly(2025, 7, 12), entry.SourceDate);
        Assert.Equal(0.27m, entry.Rates.Input);
        Assert.Equal(0.07m, entry.Rates.CacheRead);
        Assert.Equal(1.1m, entry.Rates.Output);
        Assert.Equal(4.5m, entry.Rates.CacheStoragePerMillionTokenHours);
        Assert.Equal(35m, entry.Rates.WebSearchPerThousand);
        Assert.Null(entry.Rates.Reasoning);
        Assert.Equal(200_000, entry.LongContext!.ThresholdPromptTokens);
        Assert.Equal(2m, entry.LongContext.Rates.Input);
        Assert.Equal(0.5m, entry.ServiceTiers["batch"].Multiplier);
        Assert.Equal(1m, entry.ServiceTiers["PRIORITY"].Rates!.Input);
        var window = Assert.Single(entry.TimeWindows);
        Assert.Equal(new TimeOnly(16, 30), window.StartUtc);
        Assert.Equal(new TimeOnly(0, 30), window.EndUtc);
        Assert.Equal(0.135m, window.Rates.Input);
        Assert.False(entry.IsOverride);
        Assert.True(document.ToEntries(isOverride: true).Single().IsOverride);
        Assert.Equal("deepseek/deepseek-chat", document.ToPriceBook().Resolve("deepseek", "DS"));
    }

    [Fact]
    public void FromEntries_BuiltInEntries_RoundTripsEveryPeriod()
    {
        var original = BuiltInPriceBook.Document;

        var roundTripped = PriceBookDocument.Parse(JsonSerializer.Serialize(
            PriceBookDocument.FromEntries(original.ToEntries()), PriceBookDocument.SerializerOptions));

        Assert.Equal(original.Models.Count, roundTripped.Models.Count);
        for (var i = 0; i < original.Models.Count; i++)
        {
            Assert.Equal(original.Models[i].Provider, roundTripped.Models[i].Provider);
            Assert.Equal(original.Models[i].Model, roundTripped.Models[i].Model);
            Assert.Null(roundTripped.Models[i].Aliases);
            Assert.Equal(
                JsonSerializer.Serialize(original.Models[i].Prices, PriceBookDocument.SerializerOptions),
                JsonSerializer.Serialize(roundTripped.Models[i].Prices, PriceBookDocument.SerializerOptions));
        }
    }

    [Fact]
    public void FromEntries_RoundTrippedBook_PricesLikeTheOriginal()
    {
        var original = BuiltInPriceBook.Create();
        var copy = PriceBookDocument.FromEntries(original.Entries).ToPriceBook();
        var offPeak = new DateTimeOffset(2025, 3, 1, 17, 0, 0, TimeSpan.Zero);

        Assert.True(copy.TryFind("deepseek", "deepseek-reasoner", offPeak, out var entry));

        Assert.Equal(0.55m, entry.Rates.Input);
        Assert.Equal(0.135m, Assert.Single(entry.TimeWindows).Rates.Input);
        Assert.True(entry.TimeWindows[0].Contains(offPeak));
        Assert.Equal(original.Entries.Count, copy.Entries.Count);
    }

    [Theory]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"sourceDate":"2026-07-24","rates":{"input":1}}]}]}""", "openai/gpt-x has no source")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":" ","sourceDate":"2026-07-24","rates":{"input":1}}]}]}""", "openai/gpt-x has no source")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","rates":{"input":1}}]}]}""", "openai/gpt-x has no sourceDate")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","sourceDate":"2026-07-24"}]}]}""", "openai/gpt-x has no rates")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","sourceDate":"2026-07-24","rates":{},"effectiveFrom":"2026-01-01T00:00:00Z","effectiveUntil":"2026-01-01T00:00:00Z"}]}]}""", "openai/gpt-x ends")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","sourceDate":"2026-07-24","rates":{},"longContext":{"thresholdPromptTokens":1000}}]}]}""", "long-context tier of openai/gpt-x has no rates")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","sourceDate":"2026-07-24","rates":{},"timeWindows":[{"startUtc":"16:30","endUtc":"00:30","rates":null}]}]}]}""", "time window of openai/gpt-x has no rates")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","sourceDate":"2026-07-24","rates":{},"timeWindows":[{"startUtc":"4pm","endUtc":"00:30","rates":{}}]}]}]}""", "time window of openai/gpt-x has '4pm'")]
    [InlineData("""{"models":[{"provider":"openai","model":"gpt-x","prices":[{"source":"page","sourceDate":"2026-07-24","rates":{},"serviceTiers":{"batch":null}}]}]}""", "service tier 'batch' of openai/gpt-x has no price")]
    public void ToPriceBook_IncompletePrice_ThrowsNamingTheModel(string json, string expected)
    {
        var document = PriceBookDocument.Parse(json);

        var error = Assert.Throws<FormatException>(() => document.ToPriceBook());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPriceBook_ModelWithoutProvider_Throws()
    {
        var document = PriceBookDocument.Parse("""{"models":[{"model":"gpt-x","prices":[]}]}""");

        Assert.Throws<FormatException>(() => document.ToPriceBook());
    }

    [Fact]
    public void Parse_JsonNull_Throws()
    {
        Assert.Throws<JsonException>(() => PriceBookDocument.Parse("null"));
    }

    [Fact]
    public void BuiltInDocument_EveryPrice_HasSourceAndDate()
    {
        var entries = BuiltInPriceBook.Document.ToEntries().ToList();

        Assert.NotEmpty(entries);
        Assert.All(entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Source), $"{e.Provider}/{e.Model} has no source");
            Assert.InRange(e.SourceDate, new DateOnly(2025, 1, 1), new DateOnly(2026, 11, 24));
        });
    }

    [Fact]
    public void BuiltInDocument_Models_AreLowerCaseOfSupportedProvidersWithoutPseudoEntries()
    {
        var models = BuiltInPriceBook.Document.Models;

        Assert.Equal(s_supportedProviders.Order(), models.Select(m => m.Provider).Distinct().Order());
        Assert.All(models, m =>
        {
            Assert.Equal(m.Model.ToLowerInvariant(), m.Model);
            Assert.DoesNotContain("_", m.Model, StringComparison.Ordinal);
            Assert.NotEmpty(m.Prices);
        });
        Assert.Equal(models.Count, models.Select(m => PriceBook.Key(m.Provider, m.Model)).Distinct().Count());
    }

    [Fact]
    public void BuiltInDocument_EveryAlias_ResolvesToItsOwnModel()
    {
        var book = BuiltInPriceBook.Create();

        foreach (var model in BuiltInPriceBook.Document.Models)
        {
            foreach (var alias in model.Aliases ?? [])
            {
                Assert.Equal(PriceBook.Key(model.Provider, model.Model), book.Resolve(model.Provider, alias));
            }
        }
    }

    [Fact]
    public void BuiltInDocument_Rates_AreNeverNegative()
    {
        foreach (var entry in BuiltInPriceBook.Create().Entries)
        {
            IEnumerable<PriceRates> all = [entry.Rates, .. entry.TimeWindows.Select(w => w.Rates),
                .. entry.ServiceTiers.Values.Where(t => t.Rates is not null).Select(t => t.Rates!)];
            if (entry.LongContext is { } tier)
            {
                all = all.Append(tier.Rates);
            }

            foreach (var rates in all)
            {
                var values = JsonSerializer.SerializeToElement(rates, PriceBookDocument.SerializerOptions).EnumerateObject();
                Assert.All(values, v => Assert.True(v.Value.GetDecimal() >= 0m, $"{entry.Provider}/{entry.Model} {v.Name}"));
            }

            Assert.All(entry.ServiceTiers.Values, t => Assert.True(t.Multiplier is null or > 0m));
        }
    }

    [Fact]
    public void BuiltInDocument_PeriodsOfOneModel_NeverOverlap()
    {
        foreach (var model in BuiltInPriceBook.Create().Entries.GroupBy(e => (e.Provider, e.Model)))
        {
            var periods = model.OrderBy(e => e.EffectiveFrom ?? DateTimeOffset.MinValue).ToList();
            for (var i = 1; i < periods.Count; i++)
            {
                Assert.Equal(periods[i - 1].EffectiveUntil, periods[i].EffectiveFrom);
            }
        }
    }

    // Reads the reference file only when it is present beside the repository, so a bare clone still passes.
    [Fact]
    public void BuiltInDocument_EveryReferenceModel_HasTheReferenceNumbers()
    {
        var path = ReferencePricesPath();
        if (path is null)
        {
            Assert.Skip("shared/reference/prices.json is not beside this repository.");
        }

        var book = BuiltInPriceBook.Create();
        var mismatches = new List<string>();
        var compared = 0;
        foreach (var model in JsonNode.Parse(File.ReadAllText(path))!["models"]!.AsArray())
        {
            var name = model!["model"]!.GetValue<string>();
            if (name.StartsWith('_'))
            {
                continue;
            }

            var provider = model["provider"]!.GetValue<string>() is "google" ? "gemini" : model["provider"]!.GetValue<string>();
            var id = name.Split(' ')[0];
            var parenthesis = name.IndexOf('(', StringComparison.Ordinal);
            if (parenthesis > 0 && !name[(parenthesis + 1)..].Contains(' ', StringComparison.Ordinal)
                && book.Resolve(provider, name[(parenthesis + 1)..^1]) != book.Resolve(provider, id))
            {
                mismatches.Add($"{name}: the name in parentheses does not resolve to {id}");
            }

            var check = new ReferenceCheck(book, provider, id, mismatches);
            compared += check.Model(model.AsObject());
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.True(compared >= 250, $"only {compared} reference numbers were compared");
    }

    private static string? ReferencePricesPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Helix.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "reference", "prices.json"));
                return File.Exists(path) ? path : null;
            }
        }

        return null;
    }

    // Compares one prices.json model with the book, key by key; prices.json names a meter in several ways.
    private sealed class ReferenceCheck(PriceBook book, string provider, string model, List<string> mismatches)
    {
        private static readonly Dictionary<string, Func<PriceRates, decimal?>> s_meters = new()
        {
            ["input"] = r => r.Input,
            ["input_text"] = r => r.Input,
            ["input_cache_miss"] = r => r.Input,
            ["cached_input_read"] = r => r.CacheRead,
            ["input_cache_hit"] = r => r.CacheRead,
            ["cache_write_5m"] = r => r.CacheWrite5m,
            ["cache_write_1h"] = r => r.CacheWrite1h,
            ["input_audio"] = r => r.InputAudio,
            ["cached_input_read_audio"] = r => r.CacheReadAudio,
            ["output"] = r => r.Output,
            ["output_text"] = r => r.Output,
            ["output_incl_thinking"] = r => r.Output,
            ["output_audio"] = r => r.OutputAudio,
            ["per_minute"] = r => r.AudioPerMinute,
            ["per_1M_characters"] = r => r.CharactersPerMillion,
            ["cache_storage_per_1M_tokens_per_hour"] = r => r.CacheStoragePerMillionTokenHours,
            ["grounding_google_search_per_1000_requests"] = r => r.WebSearchPerThousand,
        };

        private int _compared;

        public int Model(JsonObject reference)
        {
            if (reference["price_history"] is JsonArray history)
            {
                History(history);
                return _compared;
            }

            if (!TryFind(s_now, out var entry))
            {
                return _compared;
            }

            Rates("base", reference, entry.Rates);
            Tiers(reference, entry);
            if (reference["long_context_tier"] is JsonObject longContext)
            {
                LongContext("long_context_tier", longContext, entry);
            }

            if (reference["tiers"] is JsonArray tiers)
            {
                Rates("tiers[0]", tiers[0]!.AsObject(), entry.Rates);
                LongContext("tiers[1]", tiers[1]!.AsObject(), entry);
            }

            if (reference["audio_input"] is JsonValue sameAsText && sameAsText.GetValue<string>().StartsWith("same as text", StringComparison.Ordinal))
            {
                Same("audio_input", entry.Rates.Input, entry.Rates.InputAudio);
                Same("audio_input (long context)", entry.LongContext?.Rates.Input, entry.LongContext?.Rates.InputAudio);
            }

            if (reference["pay_as_you_go"] is JsonObject payAsYouGo)
            {
                PayAsYouGo(payAsYouGo, entry);
            }

            if (reference["cost"] is JsonValue cost)
            {
                Same("cost (characters)", cost.GetValue<decimal>(), entry.Rates.CharactersPerMillion);
                Same("cost (audio)", cost.GetValue<decimal>(), entry.Rates.AudioPerMinute);
            }

            if (reference["effective_dated"] is JsonArray dated)
            {
                Dated(dated, entry);
            }

            return _compared;
        }

        private void Tiers(JsonObject reference, PriceEntry entry)
        {
            if (Number(reference["batch_multiplier"]) is { } batch)
            {
                Same("batch_multiplier", batch, Tier(entry, "batch")?.Multiplier);
            }

            if (Number(reference["batch_input"]) is { } batchInput)
            {
                Same("batch_input", batchInput, Tier(entry, "batch")?.Rates?.Input);
            }

            foreach (var (key, tier) in new[] { ("priority_tier", "priority"), ("flex_tier", "flex") })
            {
                if (reference[key] is JsonObject rates)
                {
                    if (Tier(entry, tier)?.Rates is { } tierRates)
                    {
                        Rates(key, rates, tierRates);
                    }
                    else
                    {
                        mismatches.Add($"{provider}/{model}: no {tier} tier");
                    }
                }
            }

            if (Number(reference["multipliers_litellm"]?["fast_mode"]) is { } fast)
            {
                Same("multipliers_litellm.fast_mode", fast, Tier(entry, "fast")?.Multiplier);
            }
        }

        private void LongContext(string label, JsonObject reference, PriceEntry entry)
        {
            if (entry.LongContext is not { } tier)
            {
                mismatches.Add($"{provider}/{model} {label}: no long-context tier at {entry.EffectiveFrom:O}");
                return;
            }

            Same($"{label}.threshold", Number(reference["threshold_input_tokens"]) ?? 200_000m, tier.ThresholdPromptTokens);
            Rates(label, reference, tier.Rates);
        }

        private void Dated(JsonArray periods, PriceEntry current)
        {
            foreach (var period in periods.Select(p => p!.AsObject()))
            {
                var until = Instant(period["until"]!);
                if (!TryFind(until.AddSeconds(-1), out var entry))
                {
                    continue;
                }

                Same("effective_dated.until", until, entry.EffectiveUntil);
                if (period["threshold_input_tokens"] is not null)
                {
                    LongContext("effective_dated", period, entry);
                    if (current.LongContext is not null)
                    {
                        mismatches.Add($"{provider}/{model}: the long-context tier ending {until:O} is still in force");
                    }
                }
                else
                {
                    Rates("effective_dated", period, entry.Rates);
                }
            }
        }

        private void History(JsonArray periods)
        {
            foreach (var period in periods.Select(p => p!.AsObject()))
            {
                var from = period["from"] is { } f ? Instant(f) : new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
                if (!TryFind(from.AddHours(12), out var entry))
                {
                    continue;
                }

                Rates($"price_history {from:O}", period, entry.Rates);
                Same($"price_history {from:O} from", period["from"] is null ? (DateTimeOffset?)null : from, entry.EffectiveFrom);
                var until = Instant(period["until"]!);
                Same($"price_history {from:O} until", until, entry.EffectiveUntil);
                if (period["off_peak"] is JsonObject offPeak)
                {
                    var window = offPeak["window_utc"]!.GetValue<string>().Split('-');
                    if (entry.TimeWindows is [var only])
                    {
                        Same("off_peak start", TimeOnly.Parse(window[0], CultureInfo.InvariantCulture), only.StartUtc);
                        Same("off_peak end", TimeOnly.Parse(window[1], CultureInfo.InvariantCulture), only.EndUtc);
                        Rates("off_peak", offPeak, only.Rates);
                    }
                    else
                    {
                        mismatches.Add($"{provider}/{model} {from:O}: {entry.TimeWindows.Count} time windows, expected the off-peak one");
                    }
                }
                else
                {
                    Same($"price_history {from:O} windows", 0, entry.TimeWindows.Count);
                }
            }

            if (periods[^1]!["until"] is { } end && book.TryFind(provider, model, Instant(end), out _))
            {
                mismatches.Add($"{provider}/{model}: still priced after {Instant(end):O}");
            }
        }

        private void PayAsYouGo(JsonObject reference, PriceEntry entry)
        {
            foreach (var (key, value) in reference)
            {
                var tier = key switch
                {
                    "pre_recorded" or "pre_recorded_monolingual" => null,
                    "streaming" or "streaming_monolingual" => "streaming",
                    "pre_recorded_multilingual" => "multilingual",
                    "streaming_multilingual" => "streaming-multilingual",
                    _ => "?",
                };
                var rates = tier is null ? entry.Rates : Tier(entry, tier)?.Rates;
                Same($"pay_as_you_go.{key}", Number(value), rates?.AudioPerMinute);
            }
        }

        private void Rates(string label, JsonObject reference, PriceRates rates)
        {
            foreach (var (key, value) in reference)
            {
                if (s_meters.TryGetValue(key, out var meter) && Number(value) is { } expected)
                {
                    // An embedding's "output: 0" means it has no output meter at all.
                    var actual = meter(rates);
                    if (expected == 0m && key == "output" && actual is null)
                    {
                        _compared++;
                        continue;
                    }

                    Same($"{label}.{key}", expected, actual);
                }
            }
        }

        private bool TryFind(DateTimeOffset at, out PriceEntry entry)
        {
            if (book.TryFind(provider, model, at, out var found))
            {
                entry = found;
                return true;
            }

            mismatches.Add($"{provider}/{model}: no price at {at:O}");
            entry = null!;
            return false;
        }

        private void Same<T>(string label, T expected, T actual)
        {
            _compared++;
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                mismatches.Add($"{provider}/{model} {label}: reference {expected}, book {actual?.ToString() ?? "none"}");
            }
        }

        private static ServiceTierPrice? Tier(PriceEntry entry, string name) =>
            entry.ServiceTiers.TryGetValue(name, out var tier) ? tier : null;

        private static decimal? Number(JsonNode? node) =>
            node is JsonValue value && value.TryGetValue<decimal>(out var number) ? number : null;

        // prices.json writes instants as dates ("2025-09-05") or as minutes ("2026-07-24T15:59Z"), always UTC.
        private static DateTimeOffset Instant(JsonNode node) =>
            DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
