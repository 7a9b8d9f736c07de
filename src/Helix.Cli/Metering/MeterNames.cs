using Helix.Core.Metering;

namespace Helix.Cli.Metering;

/// <summary>The meters of <see cref="UsageMeters"/> by their JSON names, for printing the non-zero ones.</summary>
internal static class MeterNames
{
    private static readonly (string Name, Func<UsageMeters, decimal> Value)[] s_meters =
    [
        ("inputTokens", m => m.InputTokens),
        ("cacheReadTokens", m => m.CacheReadTokens),
        ("cacheWrite5mTokens", m => m.CacheWrite5mTokens),
        ("cacheWrite1hTokens", m => m.CacheWrite1hTokens),
        ("inputAudioTokens", m => m.InputAudioTokens),
        ("cacheReadAudioTokens", m => m.CacheReadAudioTokens),
        ("inputImageTokens", m => m.InputImageTokens),
        ("inputVideoTokens", m => m.InputVideoTokens),
        ("toolPromptTokens", m => m.ToolPromptTokens),
        ("outputTokens", m => m.OutputTokens),
        ("reasoningTokens", m => m.ReasoningTokens),
        ("outputAudioTokens", m => m.OutputAudioTokens),
        ("audioSeconds", m => m.AudioSeconds),
        ("characters", m => m.Characters),
        ("requests", m => m.Requests),
        ("webSearchRequests", m => m.WebSearchRequests),
        ("cacheStorageTokenHours", m => m.CacheStorageTokenHours),
    ];

    /// <summary>The meters with a non-zero quantity, in declaration order.</summary>
    public static IEnumerable<KeyValuePair<string, decimal>> NonZero(UsageMeters meters)
    {
        foreach (var (name, value) in s_meters)
        {
            var quantity = value(meters);
            if (quantity != 0m)
            {
                yield return new(name, quantity);
            }
        }
    }
}
