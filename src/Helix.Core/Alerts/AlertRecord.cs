namespace Helix.Core.Alerts;

/// <summary>A stored alert with its state and the figures behind it.</summary>
/// <remarks>Immutable; a state change is a new value from the store.</remarks>
public sealed record AlertRecord
{
    /// <summary>The store's id (0 until stored).</summary>
    public long Id { get; init; }

    /// <summary>A stable kind: <c>budget_threshold</c>, <c>anomaly_spend</c>, <c>anomaly_calls</c>, <c>price_unknown</c>, <c>usage_unknown</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public required string Severity { get; init; }

    public AlertState State { get; init; } = AlertState.Open;

    /// <summary>The scope concerned: <c>global</c>, <c>user</c>, <c>operation</c>, <c>key</c> or <c>model</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>The user, operation, key or model concerned.</summary>
    public string? Subject { get; init; }

    /// <summary>The period concerned: <c>day</c>, <c>month</c> or <c>hour</c>.</summary>
    public string? Period { get; init; }

    /// <summary>The budget threshold reached, as a fraction of the limit.</summary>
    public decimal? Threshold { get; init; }

    /// <summary>The spend behind the alert.</summary>
    public decimal? SpentUsd { get; init; }

    /// <summary>The budget's limit, or the anomaly's baseline spend.</summary>
    public decimal? LimitUsd { get; init; }

    /// <summary>Calls in the anomaly's window.</summary>
    public long? Calls { get; init; }

    /// <summary>The anomaly's baseline calls.</summary>
    public decimal? BaselineCalls { get; init; }

    /// <summary>A sentence for a person.</summary>
    public required string Message { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What makes two alerts the same: at most one alert per key is open (or, with <see cref="Once"/>, ever).</summary>
    public required string DedupeKey { get; init; }

    /// <summary>Whether the key may fire only once, even after the alert is resolved (a budget threshold in a period).</summary>
    public bool Once { get; init; }
}
