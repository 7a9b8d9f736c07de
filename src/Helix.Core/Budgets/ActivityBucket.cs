namespace Helix.Core.Budgets;

/// <summary>One hour of one subject's activity (anomaly detection's input).</summary>
/// <param name="Subject">The operation or user.</param>
/// <param name="Hour">The hour's start, UTC.</param>
/// <param name="SpentNanos">The spend in nano-dollars.</param>
/// <param name="Calls">The calls (first attempts).</param>
public sealed record ActivityBucket(string Subject, DateTimeOffset Hour, long SpentNanos, long Calls);
