using Helix.Testing;
using Helix.Core.Pricing;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqlitePriceStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveOverridesAsync_TwoChanges_KeepsBothVersionsWithAuthorAndTime()
    {
        await using var test = await TestDatabase.CreateAsync();
        var prices = new SqlitePriceStore(test.Database);

        await prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2.5m)], "admin:ana", Ct);
        test.Time.Advance(TimeSpan.FromHours(1));
        await prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2m)], "admin:bo", Ct);

        using var reader = test.OpenIndependentReader();
        var rows = reader.Rows("SELECT model_key, version, changed_by, changed_at, json FROM price_overrides ORDER BY version");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["openai/gpt-4o", 1L, "admin:ana", "2026-07-24T12:00:00.0000000Z"], rows[0][..4]);
        Assert.Equal(["openai/gpt-4o", 2L, "admin:bo", "2026-07-24T13:00:00.0000000Z"], rows[1][..4]);
        var document = PriceBookDocument.Parse((string)rows[0][4]!);
        Assert.Equal(2.5m, Assert.Single(document.ToEntries()).Rates.Input);
    }

    [Fact]
    public async Task RemoveOverridesAsync_AfterSave_OverrideGoneAndHistoryKept()
    {
        await using var test = await TestDatabase.CreateAsync();
        var prices = new SqlitePriceStore(test.Database);
        await prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2.5m), Price("openai", "gpt-4o-mini", 0.15m)], "a", Ct);

        await prices.RemoveOverridesAsync(["OpenAI/GPT-4o"], "b", Ct);

        var stored = Assert.Single(await prices.GetOverridesAsync(Ct));
        Assert.Equal("gpt-4o-mini", stored.Model);
        using var reader = test.OpenIndependentReader();
        Assert.Equal(2L, reader.Scalar("SELECT count(*) FROM price_overrides WHERE model_key = 'openai/gpt-4o'"));
    }

    [Fact]
    public async Task RemoveOverridesAsync_ThenSave_OverrideBack()
    {
        await using var test = await TestDatabase.CreateAsync();
        var prices = new SqlitePriceStore(test.Database);
        await prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2.5m)], "a", Ct);
        await prices.RemoveOverridesAsync(["openai/gpt-4o"], "b", Ct);

        await prices.SaveOverridesAsync([Price("openai", "gpt-4o", 3m)], "c", Ct);

        Assert.Equal(3m, Assert.Single(await prices.GetOverridesAsync(Ct)).Rates.Input);
    }

    [Fact]
    public async Task AppendCostAdjustmentsAsync_EveryAdjustment_KeptAppendOnly()
    {
        await using var test = await TestDatabase.CreateAsync();
        var prices = new SqlitePriceStore(test.Database);
        using var log = new SqliteOperationLogStore(test.Database);
        await log.AppendAsync([TestEntries.Success("a", costUsd: 0.001m)], Ct);
        var id = Assert.Single((await log.QueryAsync(new(), Ct)).Items).Id;
        var at = new DateTimeOffset(2026, 7, 25, 8, 0, 0, TimeSpan.Zero);

        await prices.AppendCostAdjustmentsAsync(
        [
            new CostAdjustment(id, 0.002m, CostStatus.Priced, "override", new DateOnly(2026, 7, 24), "price fix", at, "admin:ana"),
            new CostAdjustment(id, null, CostStatus.Unpriced, null, null, "price withdrawn", at.AddMinutes(1), "admin:bo"),
        ], Ct);

        using var reader = test.OpenIndependentReader();
        var rows = reader.Rows("SELECT log_id, cost_usd, cost_status, price_source_date, reason, adjusted_at, adjusted_by FROM cost_adjustments ORDER BY id");
        Assert.Equal([id, "0.002", "priced", "2026-07-24", "price fix", "2026-07-25T08:00:00.0000000Z", "admin:ana"], rows[0]);
        Assert.Equal([id, null, "unpriced", null, "price withdrawn", "2026-07-25T08:01:00.0000000Z", "admin:bo"], rows[1]);
        Assert.Equal("0.001", reader.Scalar("SELECT cost_usd FROM operation_log"));
    }

    private static PriceEntry Price(string provider, string model, decimal input) => new()
    {
        Provider = provider,
        Model = model,
        Rates = new PriceRates { Input = input, Output = input * 4 },
        Source = "https://example.com/pricing",
        SourceDate = new DateOnly(2026, 7, 1),
    };
}
