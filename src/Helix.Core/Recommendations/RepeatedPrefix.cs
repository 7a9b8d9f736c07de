namespace Helix.Core.Recommendations;

/// <summary>A prompt prefix several served calls of an operation began with (<see cref="OperationLog.OperationLogEntry.PromptPrefixHash"/>).</summary>
/// <param name="Hash">The prefix's hash.</param>
/// <param name="Calls">The served calls that began with it.</param>
/// <param name="MinInputTokens">The smallest input (uncached plus cache-read tokens) of those calls: the prefix is at most this long.</param>
/// <param name="CachedCalls">Of those calls, how many read tokens from a provider cache already.</param>
public sealed record RepeatedPrefix(string Hash, long Calls, long MinInputTokens, long CachedCalls);
