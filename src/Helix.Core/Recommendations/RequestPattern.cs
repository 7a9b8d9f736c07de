namespace Helix.Core.Recommendations;

/// <summary>How an operation's served calls asked for output and began their prompts, over a window of the log.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="ServedCalls">Its served calls with known usage.</param>
/// <param name="OutputP95">The 95th percentile of output tokens used (output plus reasoning), within 2.5%; <see langword="null"/> with no calls.</param>
/// <param name="MaxOutput">The most output tokens any of those calls used.</param>
/// <param name="CallsWithRequestedCap">The calls that set <c>max_tokens</c> or <c>max_completion_tokens</c>.</param>
/// <param name="RequestedCapMedian">The median of those caps, within 2.5%; <see langword="null"/> when none set one.</param>
/// <param name="CallsWithPrefix">The calls whose prompt prefix was hashed and long enough to be cached.</param>
/// <param name="Prefixes">The prefixes at least <see cref="RequestPatternScanner.MinRepeats"/> of those calls began with, most frequent first.</param>
public sealed record RequestPattern(
    string Operation,
    long ServedCalls,
    double? OutputP95,
    long MaxOutput,
    long CallsWithRequestedCap,
    double? RequestedCapMedian,
    long CallsWithPrefix,
    IReadOnlyList<RepeatedPrefix> Prefixes);
