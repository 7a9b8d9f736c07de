using Helix.Core.Pricing;
using Helix.Testing;

namespace Helix.Core.Tests.Hosting;

/// <summary>An <see cref="InMemoryPriceStore"/> that signals every read of the overrides: the last step of a reload.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SignallingPriceStore(InMemoryPriceStore inner) : IPriceStore, IDisposable
{
    public InMemoryPriceStore Inner { get; } = inner;

    /// <summary>Released once per read of the overrides; by then a reload has published its routes.</summary>
    public SemaphoreSlim Read { get; } = new(0);

    public async Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default)
    {
        var overrides = await Inner.GetOverridesAsync(cancellationToken);
        Read.Release();
        return overrides;
    }

    public Task SaveOverridesAsync(IReadOnlyList<PriceEntry> entries, string changedBy, CancellationToken cancellationToken = default) =>
        Inner.SaveOverridesAsync(entries, changedBy, cancellationToken);

    public Task RemoveOverridesAsync(IReadOnlyList<string> modelKeys, string changedBy, CancellationToken cancellationToken = default) =>
        Inner.RemoveOverridesAsync(modelKeys, changedBy, cancellationToken);

    public Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default) =>
        Inner.AppendCostAdjustmentsAsync(adjustments, cancellationToken);

    public void Dispose() => Read.Dispose();
}
