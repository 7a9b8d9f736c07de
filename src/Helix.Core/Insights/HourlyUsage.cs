namespace Helix.Core.Insights;

/// <summary>One hour of one operation's traffic on one model, from the log's hourly rollup.</summary>
/// <param name="Hour">The hour's start (UTC).</param>
/// <param name="Operation">The operation.</param>
/// <param name="Model">The model the attempts were sent to (catalog id).</param>
/// <param name="Calls">Calls: first attempts.</param>
/// <param name="Attempts">Attempts, retries and fallbacks included.</param>
/// <param name="Failures">Attempts that failed or were interrupted.</param>
/// <param name="CostNanos">The logged cost, in nano-dollars.</param>
public sealed record HourlyUsage(DateTimeOffset Hour, string Operation, string Model, long Calls, long Attempts, long Failures, long CostNanos);
