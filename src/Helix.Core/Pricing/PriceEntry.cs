namespace Helix.Core.Pricing;

/// <summary>The prices of one model over one period, with where they came from.</summary>
/// <remarks>Immutable; a price change is a new entry with a later <see cref="EffectiveFrom"/>.</remarks>
public sealed record PriceEntry
{
    /// <summary>Provider id (<c>openai</c>, <c>deepseek</c>, <c>gemini</c>, <c>anthropic</c>, <c>deepgram</c>, <c>edge-tts</c>).</summary>
    public required string Provider { get; init; }

    /// <summary>The provider's canonical model id.</summary>
    public required string Model { get; init; }

    /// <summary>First instant (inclusive) these prices apply; <see langword="null"/> for "since always".</summary>
    public DateTimeOffset? EffectiveFrom { get; init; }

    /// <summary>Instant (exclusive) these prices stop applying; <see langword="null"/> for "still in force".</summary>
    public DateTimeOffset? EffectiveUntil { get; init; }

    /// <summary>The base rates.</summary>
    public required PriceRates Rates { get; init; }

    /// <summary>A long-context tier that re-prices the whole request, or <see langword="null"/>.</summary>
    public LongContextTier? LongContext { get; init; }

    /// <summary>Service tiers (<c>batch</c>, <c>flex</c>, <c>priority</c>) keyed by name, case-insensitive.</summary>
    public IReadOnlyDictionary<string, ServiceTierPrice> ServiceTiers { get; init; } =
        new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Times of day (UTC) with their own rates, such as an off-peak discount.</summary>
    public IReadOnlyList<TimeWindowPrice> TimeWindows { get; init; } = [];

    /// <summary>Where the prices were read.</summary>
    public required string Source { get; init; }

    /// <summary>When the source was read or published.</summary>
    public required DateOnly SourceDate { get; init; }

    /// <summary>Whether this entry came from an admin override rather than the built-in book.</summary>
    public bool IsOverride { get; init; }

    /// <summary>Whether the entry applies at <paramref name="at"/>.</summary>
    public bool AppliesAt(DateTimeOffset at) =>
        (EffectiveFrom is null || at >= EffectiveFrom.Value) && (EffectiveUntil is null || at < EffectiveUntil.Value);
}

/// <summary>Rates that replace the base rates for the whole request once its prompt exceeds a threshold.</summary>
/// <param name="ThresholdPromptTokens">Prompts of more than this many tokens (all input, cached or not) use <paramref name="Rates"/>; exactly the threshold stays in the base tier.</param>
/// <param name="Rates">The rates of the tier.</param>
public sealed record LongContextTier(long ThresholdPromptTokens, PriceRates Rates);

/// <summary>How a service tier changes the price: replacement rates, a multiplier on the total, or both.</summary>
/// <param name="Rates">Rates that replace the base rates, or <see langword="null"/>.</param>
/// <param name="Multiplier">A factor applied to the total, or <see langword="null"/>.</param>
public sealed record ServiceTierPrice(PriceRates? Rates, decimal? Multiplier);

/// <summary>Rates for a time-of-day window in UTC; a window whose end is before its start wraps past midnight.</summary>
/// <param name="StartUtc">Start of the window (inclusive).</param>
/// <param name="EndUtc">End of the window (exclusive).</param>
/// <param name="Rates">The rates inside the window.</param>
public sealed record TimeWindowPrice(TimeOnly StartUtc, TimeOnly EndUtc, PriceRates Rates)
{
    /// <summary>Whether <paramref name="at"/> falls inside the window.</summary>
    public bool Contains(DateTimeOffset at)
    {
        var time = TimeOnly.FromTimeSpan(at.UtcDateTime.TimeOfDay);
        return StartUtc <= EndUtc
            ? time >= StartUtc && time < EndUtc
            : time >= StartUtc || time < EndUtc;
    }
}
