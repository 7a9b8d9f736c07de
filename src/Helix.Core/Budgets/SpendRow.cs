namespace Helix.Core.Budgets;

/// <summary>One bucket of a spend report.</summary>
/// <param name="Bucket">The bucket's start (a UTC day or month).</param>
/// <param name="Group">The operation, model, user or key; <see langword="null"/> for calls without one (no user named).</param>
/// <param name="SpentNanos">The spend in nano-dollars (logged cost of every attempt; unpriced attempts count 0).</param>
/// <param name="Calls">The calls (first attempts).</param>
/// <param name="Attempts">The attempts, retries and fallbacks included.</param>
public sealed record SpendRow(DateTimeOffset Bucket, string? Group, long SpentNanos, long Calls, long Attempts);
