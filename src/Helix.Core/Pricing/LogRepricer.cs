using System.Globalization;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing.Import;

namespace Helix.Core.Pricing;

/// <summary>Re-prices past calls with the prices in force now, after a price fix.</summary>
/// <remarks>
/// <para>
/// Reads the operation log over a range and prices each row's recorded meters with the current book, at the
/// row's own timestamp (so a fix to an old price re-prices old calls, and a new price does not reach back). Rows
/// whose cost changes get a <see cref="CostAdjustment"/>; the rows themselves are never modified.
/// </para>
/// <para>
/// Only rows with usage the provider reported are re-priced: an estimated row has no true meters to price, and a
/// not-billed row costs nothing by the provider's rules. A price that is still missing never erases a recorded
/// cost: such rows are counted as still unpriced and keep what they have. The book is read once per run, so one
/// run prices every row with the same prices. Thread-safe; runs may overlap, though each appends its own
/// adjustments.
/// </para>
/// </remarks>
public sealed class LogRepricer
{
    private const int AdjustmentBatchSize = 500;

    private readonly IOperationLogStore _log;
    private readonly IPriceStore _prices;
    private readonly CostEngine _engine;
    private readonly TimeProvider _time;

    /// <summary>Creates a re-pricer.</summary>
    /// <param name="log">Where the rows are read.</param>
    /// <param name="prices">Where adjustments are appended.</param>
    /// <param name="engine">The engine whose current book prices the rows.</param>
    /// <param name="time">The clock stamped on adjustments.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public LogRepricer(IOperationLogStore log, IPriceStore prices, CostEngine engine, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(time);
        _log = log;
        _prices = prices;
        _engine = engine;
        _time = time;
    }

    /// <summary>Re-prices the rows with <c>from &lt;= Timestamp &lt; to</c>.</summary>
    /// <param name="from">The first instant (inclusive).</param>
    /// <param name="to">The last instant (exclusive).</param>
    /// <param name="by">Who re-prices, recorded on each adjustment.</param>
    /// <param name="filter">Only rows it accepts are examined (a provider, a model), when set.</param>
    /// <param name="cancellationToken">Stops the run; adjustments already appended stay.</param>
    /// <exception cref="ArgumentException"><paramref name="by"/> is empty, or <paramref name="to"/> is before <paramref name="from"/>.</exception>
    public async Task<RepriceResult> RepriceAsync(
        DateTimeOffset from, DateTimeOffset to, string by, Func<OperationLogEntry, bool>? filter = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (to < from)
        {
            throw new ArgumentException($"The range ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        var engine = new CostEngine(_engine.Book);
        var at = _time.GetUtcNow();
        int examined = 0, changed = 0, stillUnpriced = 0, skipped = 0;
        var delta = 0m;
        var pending = new List<CostAdjustment>();
        await foreach (var row in _log.ReadRangeAsync(from, to, cancellationToken))
        {
            if (filter is not null && !filter(row))
            {
                continue;
            }

            examined++;
            if (!row.UsageKnown || row.CostStatus is CostStatus.NotBilled or CostStatus.Estimated)
            {
                skipped++;
                continue;
            }

            var cost = engine.Price(row.Provider, ProviderModel(row.Model), new UsageReport(row.Meters, true, row.ReportedModel), row.Timestamp, row.ServiceTier);
            if (cost.Status != CostStatus.Priced || cost.TotalUsd is not { } total)
            {
                stillUnpriced++;
                continue;
            }

            var previous = row.EffectiveCostUsd;
            if (previous == total)
            {
                continue;
            }

            changed++;
            delta += total - (previous ?? 0m);
            pending.Add(new CostAdjustment(
                row.Id, total, CostStatus.Priced, cost.Price?.Source, cost.Price?.SourceDate,
                Reason(previous, total, cost.Price), at, by));
            if (pending.Count >= AdjustmentBatchSize)
            {
                await _prices.AppendCostAdjustmentsAsync(pending, cancellationToken);
                pending = [];
            }
        }

        if (pending.Count > 0)
        {
            await _prices.AppendCostAdjustmentsAsync(pending, cancellationToken);
        }

        return new RepriceResult(examined, changed, stillUnpriced, skipped, delta);
    }

    // The log's Model is the catalog id ("openai/gpt-4o"); the book knows the provider's id.
    private static string ProviderModel(string model)
    {
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? model : model[(slash + 1)..];
    }

    private static string Reason(decimal? previous, decimal total, PriceEntry? price)
    {
        var was = previous is { } p ? Usd(p) : "unpriced";
        var source = price is null ? "" : $" ({price.Source}, {price.SourceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
        return $"re-priced with the current prices{source}: was {was}, now {Usd(total)}";
    }

    private static string Usd(decimal value) =>
        LiteLlmPriceMap.Normalize(value).ToString(CultureInfo.InvariantCulture) + " USD";
}
