using Helix.Core.OperationLog;
using Helix.Core.Savings;

namespace Helix.Core.Recommendations;

/// <summary>Reads, in one pass over a window of the log, how each operation's calls ask for output and begin their prompts.</summary>
/// <remarks>
/// Only served calls (a successful attempt with known usage) count. Output and requested caps go to 5%-wide
/// histograms; prompt prefixes are counted per hash (one small entry per distinct prefix), only for calls whose input
/// reached <see cref="MinCacheableInputTokens"/>, below which providers do not cache. Thread-safe (no shared state).
/// </remarks>
public sealed class RequestPatternScanner
{
    /// <summary>The fewest input tokens a call needs for its prefix to be cacheable (the providers' smallest cacheable prompt).</summary>
    public const long MinCacheableInputTokens = 1024;

    /// <summary>The fewest calls a prefix needs to count as repeated.</summary>
    public const long MinRepeats = 5;

    private readonly IOperationLogStore _log;

    /// <summary>Creates a scanner over the log.</summary>
    public RequestPatternScanner(IOperationLogStore log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    /// <summary>Each operation's pattern over <c>from &lt;= Timestamp &lt; to</c>.</summary>
    public async Task<IReadOnlyList<RequestPattern>> ScanAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var tallies = new Dictionary<string, Tally>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in _log.ReadRangeAsync(from, to, cancellationToken))
        {
            if (row.Status != AttemptStatus.Success || !row.UsageKnown)
            {
                continue;
            }

            if (!tallies.TryGetValue(row.Operation, out var tally))
            {
                tallies[row.Operation] = tally = new Tally();
            }

            tally.Add(row);
        }

        return [.. tallies.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value.ToPattern(t.Key))];
    }

    private sealed class Tally
    {
        private readonly LatencyHistogram _output = new();
        private readonly LatencyHistogram _caps = new();
        private readonly Dictionary<string, (long Calls, long MinInput, long Cached)> _prefixes = new(StringComparer.Ordinal);
        private long _served;
        private long _maxOutput;
        private long _withPrefix;

        public void Add(OperationLogEntry row)
        {
            _served++;
            var output = row.Meters.OutputTokens + row.Meters.ReasoningTokens;
            _output.Add(output);
            _maxOutput = Math.Max(_maxOutput, output);
            if (row.RequestedMaxTokens is { } cap)
            {
                _caps.Add(cap);
            }

            var input = row.Meters.InputTokens + row.Meters.CacheReadTokens;
            if (row.PromptPrefixHash is { } hash && input >= MinCacheableInputTokens)
            {
                _withPrefix++;
                var seen = _prefixes.TryGetValue(hash, out var p) ? p : (0, long.MaxValue, 0);
                _prefixes[hash] = (seen.Calls + 1, Math.Min(seen.MinInput, input), seen.Cached + (row.Meters.CacheReadTokens > 0 ? 1 : 0));
            }
        }

        public RequestPattern ToPattern(string operation) => new(
            operation, _served, _output.Percentile(0.95), _maxOutput, _caps.Count, _caps.Percentile(0.5), _withPrefix,
            [.. _prefixes.Where(p => p.Value.Calls >= MinRepeats)
                .OrderByDescending(p => p.Value.Calls).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new RepeatedPrefix(p.Key, p.Value.Calls, p.Value.MinInput, p.Value.Cached))]);
    }
}
