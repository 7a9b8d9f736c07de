using Helix.Core.Pricing;

namespace Helix.Testing;

/// <summary>An <see cref="IPriceStore"/> in memory: versioned overrides per model and an append-only list of re-pricings.</summary>
/// <remarks>
/// Thread-safe. Given an <see cref="InMemoryOperationLogStore"/>, re-pricings surface on its rows as
/// <c>RepricedCostUsd</c> and must name rows that exist, as with the SQL stores.
/// </remarks>
public sealed class InMemoryPriceStore : IPriceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<OverrideVersion>> _versions = new(StringComparer.Ordinal);
    private readonly List<CostAdjustment> _adjustments = [];
    private readonly InMemoryOperationLogStore? _log;
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    /// <param name="log">The log whose rows re-pricings apply to, if any.</param>
    /// <param name="timeProvider">The clock of override changes; the system clock when <see langword="null"/>.</param>
    public InMemoryPriceStore(InMemoryOperationLogStore? log = null, TimeProvider? timeProvider = null)
    {
        _log = log;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A copy of every re-pricing, in append order.</summary>
    public IReadOnlyList<CostAdjustment> Adjustments
    {
        get
        {
            lock (_lock)
            {
                return [.. _adjustments];
            }
        }
    }

    /// <summary>A copy of every override version of a model (<c>provider/model</c>), oldest first.</summary>
    public IReadOnlyList<OverrideVersion> History(string modelKey)
    {
        ArgumentNullException.ThrowIfNull(modelKey);
        lock (_lock)
        {
            return _versions.TryGetValue(modelKey.ToLowerInvariant(), out var versions) ? [.. versions] : [];
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<PriceEntry>>(
                [.. _versions.OrderBy(v => v.Key, StringComparer.Ordinal).SelectMany(v => v.Value[^1].Entries)]);
        }
    }

    /// <inheritdoc/>
    public Task SaveOverridesAsync(IReadOnlyList<PriceEntry> entries, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        List<(string Key, PriceEntry[] Entries)> changes = [];
        foreach (var model in entries.GroupBy(e => PriceBook.Key(e.Provider, e.Model), StringComparer.Ordinal))
        {
            // Through the stored JSON form, so that what is read back is what a real store would give.
            PriceEntry[] stored;
            try
            {
                stored = [.. PriceBookDocument.Parse(System.Text.Json.JsonSerializer.Serialize(PriceBookDocument.FromEntries(model), PriceBookDocument.SerializerOptions))
                    .ToEntries(isOverride: true)];
            }
            catch (FormatException ex)
            {
                throw new ArgumentException(ex.Message, nameof(entries), ex);
            }

            changes.Add((model.Key, stored));
        }

        Append(changes, changedBy);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Adds an empty version of each model, like the real stores.</remarks>
    public Task RemoveOverridesAsync(IReadOnlyList<string> modelKeys, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelKeys);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        Append([.. modelKeys.Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Select(k => (k, Array.Empty<PriceEntry>()))], changedBy);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        foreach (var adjustment in adjustments)
        {
            ArgumentNullException.ThrowIfNull(adjustment, nameof(adjustments));
            ArgumentException.ThrowIfNullOrWhiteSpace(adjustment.Reason, nameof(adjustments));
            ArgumentException.ThrowIfNullOrWhiteSpace(adjustment.By, nameof(adjustments));
        }

        lock (_lock)
        {
            _log?.ApplyCostAdjustments(adjustments);
            _adjustments.AddRange(adjustments);
        }

        return Task.CompletedTask;
    }

    private void Append(List<(string Key, PriceEntry[] Entries)> changes, string changedBy)
    {
        var at = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var (key, entries) in changes)
            {
                if (!_versions.TryGetValue(key, out var versions))
                {
                    _versions[key] = versions = [];
                }

                versions.Add(new OverrideVersion(key, versions.Count + 1, entries, changedBy, at));
            }
        }
    }

    /// <summary>One version of a model's override.</summary>
    /// <param name="ModelKey">The model, <c>provider/model</c>.</param>
    /// <param name="Version">The version, from 1.</param>
    /// <param name="Entries">Every period of the model's prices; none when the version removed the override.</param>
    /// <param name="ChangedBy">Who made the change.</param>
    /// <param name="ChangedAt">When.</param>
    public sealed record OverrideVersion(string ModelKey, int Version, IReadOnlyList<PriceEntry> Entries, string ChangedBy, DateTimeOffset ChangedAt);
}
