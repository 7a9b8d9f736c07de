using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;
using Xunit;

namespace Helix.Core.Tests.Pricing.Import;

public sealed class PriceImportPlannerTests
{
    private static readonly DateOnly s_importDate = new(2026, 11, 24);
    private static readonly DateTimeOffset s_effective = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Plan_ModelUnknownToTheBook_IsAddedAsOverrideFromEffectiveDate()
    {
        var book = new PriceBook([Built("openai", "gpt-4o", new() { Input = 2.5m, Output = 10m })]);

        var plan = PriceImportPlanner.Plan(book, [Imported("openai", "gpt-9", new() { Input = 1m, Output = 4m })], s_effective);

        var added = Assert.Single(plan.Added);
        Assert.Equal(PriceChangeKind.Added, added.Kind);
        Assert.Equal("gpt-9", added.Model);
        Assert.Equal([new RateChange("input", null, 1m), new RateChange("output", null, 4m)], added.Changes);
        var entry = Assert.Single(plan.EntriesToApply);
        Assert.Equal(s_effective, entry.EffectiveFrom);
        Assert.Null(entry.EffectiveUntil);
        Assert.True(entry.IsOverride);
        Assert.Equal(LiteLlmPriceMap.SourceName, entry.Source);
        Assert.Empty(plan.Changed);
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void Plan_DifferentRate_IsChangedWithBeforeAndAfterOfEachDifferingField()
    {
        var book = new PriceBook([Built("openai", "gpt-4o-transcribe", new() { Input = 2.5m, InputAudio = 6m, Output = 10m })]);

        var plan = PriceImportPlanner.Plan(
            book, [Imported("openai", "gpt-4o-transcribe", new() { Input = 2.5m, InputAudio = 2.5m, Output = 10m })], s_effective);

        var changed = Assert.Single(plan.Changed);
        Assert.Equal(PriceChangeKind.Changed, changed.Kind);
        Assert.Equal([new RateChange("inputAudio", 6m, 2.5m)], changed.Changes);
        Assert.Equal(6m, changed.Current!.Rates.InputAudio);
        Assert.Equal(2.5m, Assert.Single(plan.EntriesToApply).Rates.InputAudio);
    }

    [Fact]
    public void Plan_SameRates_IsUnchangedAndAppliesNothing()
    {
        var book = new PriceBook([Built("gemini", "gemini-2.5-flash", new() { Input = 0.3m, Output = 2.5m, WebSearchPerThousand = 35m })]);

        var plan = PriceImportPlanner.Plan(
            book, [Imported("gemini", "gemini-2.5-flash", new() { Input = 0.30m, Output = 2.50m, Reasoning = 2.5m })], s_effective);

        Assert.Equal("gemini-2.5-flash", Assert.Single(plan.Unchanged).Model);
        Assert.Empty(plan.EntriesToApply);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void Plan_ZeroRateWhereTheBookHasNone_IsNotAChange()
    {
        var book = new PriceBook([Built("openai", "text-embedding-3-small", new() { Input = 0.02m },
            tiers: new() { ["batch"] = new(new PriceRates { Input = 0.01m }, null) })]);
        var imported = Imported("openai", "text-embedding-3-small", new() { Input = 0.02m, Output = 0m },
            tiers: new() { ["batch"] = new(null, 0.5m) });

        var plan = PriceImportPlanner.Plan(book, [imported], s_effective);

        Assert.Single(plan.Unchanged);
    }

    [Fact]
    public void Plan_ServiceTierAsMultiplierOrRates_ComparesWhatACallPays()
    {
        var book = new PriceBook([Built("openai", "gpt-4o", new() { Input = 2.5m, CacheRead = 1.25m, Output = 10m },
            tiers: new()
            {
                ["batch"] = new(null, 0.5m),
                ["priority"] = new(new PriceRates { Input = 4.25m, CacheRead = 2.125m, Output = 17m }, null),
            })]);
        var imported = Imported("openai", "gpt-4o", new() { Input = 2.5m, CacheRead = 1.25m, Output = 10m },
            tiers: new() { ["batch"] = new(null, 0.5m), ["priority"] = new(null, 1.8m) });

        var plan = PriceImportPlanner.Plan(book, [imported], s_effective);

        var changed = Assert.Single(plan.Changed);
        Assert.Equal(
            [
                new RateChange("serviceTiers.priority.input", 4.25m, 4.5m),
                new RateChange("serviceTiers.priority.cacheRead", 2.125m, 2.25m),
                new RateChange("serviceTiers.priority.output", 17m, 18m),
            ],
            changed.Changes);
        var entry = Assert.Single(plan.EntriesToApply);
        Assert.Equal(1.8m, entry.ServiceTiers["priority"].Multiplier);
        Assert.Equal(0.5m, entry.ServiceTiers["batch"].Multiplier);
    }

    [Fact]
    public void Plan_LongContextTier_IsComparedWithTheBooksTier()
    {
        var book = new PriceBook([Built("anthropic", "claude-sonnet-4-6", new() { Input = 3m, Output = 15m })]);
        var imported = Imported("anthropic", "claude-sonnet-4-6", new() { Input = 3m, Output = 15m },
            longContext: new(200_000, new PriceRates { Input = 6m, Output = 22.5m }));

        var plan = PriceImportPlanner.Plan(book, [imported], s_effective);

        Assert.Equal(
            [
                new RateChange("longContext.threshold", null, 200_000m),
                new RateChange("longContext.input", null, 6m),
                new RateChange("longContext.output", null, 22.5m),
            ],
            Assert.Single(plan.Changed).Changes);
    }

    [Fact]
    public void Plan_AliasOfAKnownModel_ComparesWithTheCanonicalModel()
    {
        var book = new PriceBook(
            [Built("deepgram", "nova-2", new() { AudioPerMinute = 0.0043m })],
            [new("deepgram/nova-2-general", "deepgram/nova-2")]);

        var plan = PriceImportPlanner.Plan(book,
            [
                Imported("deepgram", "nova-2-general", new() { AudioPerMinute = 0.0099m }),
                Imported("deepgram", "nova-2", new() { AudioPerMinute = 0.0043m }),
            ],
            s_effective);

        var unchanged = Assert.Single(plan.Unchanged);
        Assert.Equal("nova-2", unchanged.Model);
        Assert.Equal("nova-2", unchanged.ImportedModel);
        Assert.Empty(plan.Added);
        Assert.Empty(plan.Changed);
    }

    [Fact]
    public void Plan_AliasOnly_ChangesTheCanonicalModel()
    {
        var book = new PriceBook(
            [Built("openai", "gpt-4o-mini", new() { Input = 0.15m, Output = 0.6m })],
            [new("openai/gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini")]);

        var plan = PriceImportPlanner.Plan(book, [Imported("openai", "gpt-4o-mini-2024-07-18", new() { Input = 0.2m })], s_effective);

        var changed = Assert.Single(plan.Changed);
        Assert.Equal("gpt-4o-mini", changed.Model);
        Assert.Equal("gpt-4o-mini-2024-07-18", changed.ImportedModel);
        Assert.Equal("gpt-4o-mini", Assert.Single(plan.EntriesToApply).Model);
    }

    [Fact]
    public void Plan_ModelRetiredAtTheEffectiveDate_IsReportedAndNeverRevived()
    {
        var retiredAt = new DateTimeOffset(2026, 7, 24, 15, 59, 0, TimeSpan.Zero);
        var book = new PriceBook([Built("deepseek", "deepseek-chat", new() { Input = 0.14m, Output = 0.28m }, until: retiredAt)]);

        var plan = PriceImportPlanner.Plan(book, [Imported("deepseek", "deepseek-chat", new() { Input = 0.28m, Output = 0.42m })], s_effective);

        Assert.Equal(PriceChangeKind.Retired, Assert.Single(plan.Retired).Kind);
        Assert.Empty(plan.EntriesToApply);
    }

    [Fact]
    public void Plan_ChangedModel_KeepsUnlistedRatesAndEndsWithThePriceInForce()
    {
        var retiredAt = new DateTimeOffset(2026, 7, 24, 15, 59, 0, TimeSpan.Zero);
        var effective = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var book = new PriceBook(
        [
            Built("deepseek", "deepseek-chat", new() { Input = 0.28m, CacheRead = 0.028m, Output = 0.42m },
                until: new DateTimeOffset(2026, 4, 24, 0, 0, 0, TimeSpan.Zero)),
            Built("deepseek", "deepseek-chat", new() { Input = 0.14m, CacheRead = 0.0028m, Output = 0.28m, WebSearchPerThousand = 5m },
                from: new DateTimeOffset(2026, 4, 24, 0, 0, 0, TimeSpan.Zero), until: retiredAt),
        ]);

        var plan = PriceImportPlanner.Plan(
            book, [Imported("deepseek", "deepseek-chat", new() { Input = 0.28m, CacheRead = 0.028m, Output = 0.42m })], effective);

        Assert.Equal(
            [new RateChange("input", 0.14m, 0.28m), new RateChange("cacheRead", 0.0028m, 0.028m), new RateChange("output", 0.28m, 0.42m)],
            Assert.Single(plan.Changed).Changes);
        var entry = Assert.Single(plan.EntriesToApply);
        Assert.Equal(effective, entry.EffectiveFrom);
        Assert.Equal(retiredAt, entry.EffectiveUntil);
        Assert.Equal(5m, entry.Rates.WebSearchPerThousand);
        var applied = book.WithOverrides(plan.EntriesToApply);
        Assert.True(applied.TryFind("deepseek", "deepseek-chat", effective.AddDays(1), out var after));
        Assert.Equal(0.28m, after.Rates.Input);
        Assert.True(applied.TryFind("deepseek", "deepseek-chat", effective.AddDays(-1), out var before));
        Assert.Equal(0.14m, before.Rates.Input);
        Assert.False(applied.TryFind("deepseek", "deepseek-chat", retiredAt, out _));
    }

    [Fact]
    public void Plan_ModelWithEarlierOverrides_CutsThemAtTheEffectiveDate()
    {
        var earlier = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var book = new PriceBook([Built("openai", "gpt-4o", new() { Input = 2.5m, Output = 10m })])
            .WithOverrides(
            [
                Built("openai", "gpt-4o", new() { Input = 3m, Output = 10m }, until: earlier),
                Built("openai", "gpt-4o", new() { Input = 2m, Output = 10m }, from: earlier),
            ]);

        var plan = PriceImportPlanner.Plan(book, [Imported("openai", "gpt-4o", new() { Input = 1m })], s_effective);

        Assert.Equal([new RateChange("input", 2m, 1m)], Assert.Single(plan.Changed).Changes);
        Assert.Equal(3, plan.EntriesToApply.Count);
        Assert.All(plan.EntriesToApply, e => Assert.True(e.IsOverride));
        Assert.Contains(plan.EntriesToApply, e => e.Rates.Input == 3m && e.EffectiveUntil == earlier);
        Assert.Contains(plan.EntriesToApply, e => e.Rates.Input == 2m && e.EffectiveFrom == earlier && e.EffectiveUntil == s_effective);
        Assert.Contains(plan.EntriesToApply, e => e.Rates.Input == 1m && e.EffectiveFrom == s_effective && e.EffectiveUntil is null);
    }

    [Fact]
    public void Plan_ReferenceSnapshotAgainstBuiltInBook_FlagsKnownLiteLlmErrorsAsChanged()
    {
        var imported = LiteLlmPriceMap.Parse(ReferenceData.LiteLlmPriceMapOrSkip(), s_importDate);
        var book = BuiltInPriceBook.Create();
        Assert.SkipWhen(!book.Knows("openai", "gpt-4o-transcribe"), "The built-in price book does not list gpt-4o-transcribe yet.");

        var plan = PriceImportPlanner.Plan(book, imported, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

        var transcribe = Assert.Single(plan.Changed, c => c.Provider == "openai" && c.Model == "gpt-4o-transcribe");
        Assert.Contains(new RateChange("inputAudio", 6m, 2.5m), transcribe.Changes);
        var tts = Assert.Single(plan.Changed, c => c.Provider == "openai" && c.Model == "gpt-4o-mini-tts");
        Assert.Contains(new RateChange("input", 0.6m, 2.5m), tts.Changes);
        var deepseek = Assert.Single(plan.Changed, c => c.Provider == "deepseek" && c.Model == "deepseek-chat");
        Assert.Contains(new RateChange("input", 0.14m, 0.28m), deepseek.Changes);
        Assert.Contains(new RateChange("output", 0.28m, 0.42m), deepseek.Changes);
        Assert.Contains(plan.Unchanged, c => c.Provider == "deepgram" && c.Model == "nova-2");
        Assert.Contains(plan.Added, c => c.Provider == "openai" && c.Model == "gpt-5");
        Assert.DoesNotContain(plan.Changed.Concat(plan.Unchanged).Concat(plan.Retired), c => c.Provider == "edge-tts");
        Assert.All(plan.EntriesToApply, e => Assert.True(e.IsOverride));
        var applied = book.WithOverrides(plan.EntriesToApply);
        Assert.True(applied.TryFind("openai", "gpt-4o-transcribe", new DateTimeOffset(2026, 6, 2, 0, 0, 0, TimeSpan.Zero), out var price));
        Assert.Equal(2.5m, price.Rates.InputAudio);
    }

    [Fact]
    public void Plan_ReferenceSnapshotAfterDeepSeekRetirement_ReportsDeepSeekChatRetired()
    {
        var imported = LiteLlmPriceMap.Parse(ReferenceData.LiteLlmPriceMapOrSkip(), s_importDate);
        var book = BuiltInPriceBook.Create();
        Assert.SkipWhen(!book.Knows("deepseek", "deepseek-chat"), "The built-in price book does not list deepseek-chat yet.");

        var plan = PriceImportPlanner.Plan(book, imported, s_effective);

        Assert.Contains(plan.Retired, c => c.Provider == "deepseek" && c.Model == "deepseek-chat");
        Assert.DoesNotContain(plan.EntriesToApply, e => e.Provider == "deepseek" && e.Model == "deepseek-chat");
    }

    private static PriceEntry Built(
        string provider, string model, PriceRates rates, DateTimeOffset? from = null, DateTimeOffset? until = null,
        Dictionary<string, ServiceTierPrice>? tiers = null) => new()
    {
        Provider = provider,
        Model = model,
        Rates = rates,
        EffectiveFrom = from,
        EffectiveUntil = until,
        ServiceTiers = tiers is null
            ? new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, ServiceTierPrice>(tiers, StringComparer.OrdinalIgnoreCase),
        Source = "test book",
        SourceDate = new DateOnly(2026, 1, 1),
    };

    private static PriceEntry Imported(
        string provider, string model, PriceRates rates, LongContextTier? longContext = null,
        Dictionary<string, ServiceTierPrice>? tiers = null) => new()
    {
        Provider = provider,
        Model = model,
        Rates = rates,
        LongContext = longContext,
        ServiceTiers = tiers is null
            ? new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, ServiceTierPrice>(tiers, StringComparer.OrdinalIgnoreCase),
        Source = LiteLlmPriceMap.SourceName,
        SourceDate = s_importDate,
    };
}
