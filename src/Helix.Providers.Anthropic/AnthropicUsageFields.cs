using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>The fields of an Anthropic <c>usage</c> object, each absent or present, so a later event can override what it repeats.</summary>
/// <remarks>A mutable value; not shared.</remarks>
internal struct AnthropicUsageFields
{
    public long? InputTokens;
    public long? CacheReadTokens;
    public long? CacheCreationTokens;
    public long? CacheWrite5mTokens;
    public long? CacheWrite1hTokens;
    public long? OutputTokens;
    public long? WebSearchRequests;
    public string? ServiceTier;

    /// <summary>Reads a <c>usage</c> object; the reader is on its start.</summary>
    public static AnthropicUsageFields Read(ref Utf8JsonReader reader)
    {
        var fields = default(AnthropicUsageFields);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                fields.InputTokens = ReadNullableCount(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                fields.CacheReadTokens = ReadNullableCount(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                fields.CacheCreationTokens = ReadNullableCount(ref reader);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                fields.OutputTokens = ReadNullableCount(ref reader);
            }
            else if (reader.ValueTextEquals("service_tier"u8))
            {
                fields.ServiceTier = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    fields.CacheWrite5mTokens = 0;
                    fields.CacheWrite1hTokens = 0;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("ephemeral_5m_input_tokens"u8))
                        {
                            fields.CacheWrite5mTokens = JsonScalars.ReadCount(ref reader);
                        }
                        else if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
                        {
                            fields.CacheWrite1hTokens = JsonScalars.ReadCount(ref reader);
                        }
                        else
                        {
                            JsonScalars.SkipValue(ref reader);
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals("server_tool_use"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("web_search_requests"u8))
                        {
                            fields.WebSearchRequests = JsonScalars.ReadCount(ref reader);
                        }
                        else
                        {
                            JsonScalars.SkipValue(ref reader);
                        }
                    }
                }
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        return fields;
    }

    /// <summary>Overrides these fields with those <paramref name="later"/> carries.</summary>
    public void MergeFrom(in AnthropicUsageFields later)
    {
        InputTokens = later.InputTokens ?? InputTokens;
        CacheReadTokens = later.CacheReadTokens ?? CacheReadTokens;
        CacheCreationTokens = later.CacheCreationTokens ?? CacheCreationTokens;
        CacheWrite5mTokens = later.CacheWrite5mTokens ?? CacheWrite5mTokens;
        CacheWrite1hTokens = later.CacheWrite1hTokens ?? CacheWrite1hTokens;
        OutputTokens = later.OutputTokens ?? OutputTokens;
        WebSearchRequests = later.WebSearchRequests ?? WebSearchRequests;
        ServiceTier = later.ServiceTier ?? ServiceTier;
    }

    /// <summary>The disjoint meters: input is already uncached; cache writes are split by TTL.</summary>
    /// <remarks>
    /// Without the <c>cache_creation</c> breakdown every write is a 5-minute write (the default TTL); tokens the
    /// breakdown leaves out of <c>cache_creation_input_tokens</c> are 5-minute writes too.
    /// </remarks>
    public readonly UsageMeters ToMeters()
    {
        var created = CacheCreationTokens ?? 0;
        var oneHour = CacheWrite1hTokens ?? 0;
        var fiveMinutes = CacheWrite5mTokens is { } split ? split + Math.Max(0, created - split - oneHour) : created;
        return new UsageMeters
        {
            InputTokens = InputTokens ?? 0,
            CacheReadTokens = CacheReadTokens ?? 0,
            CacheWrite5mTokens = fiveMinutes,
            CacheWrite1hTokens = oneHour,
            OutputTokens = OutputTokens ?? 0,
            WebSearchRequests = WebSearchRequests ?? 0,
        };
    }

    /// <summary>The tier to price: <c>standard</c> is the base rate, so it reads as none.</summary>
    public static string? TierOf(string? serviceTier) =>
        string.IsNullOrEmpty(serviceTier) || serviceTier.Equals("standard", StringComparison.OrdinalIgnoreCase) ? null : serviceTier;

    private static long? ReadNullableCount(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Null ? null : JsonScalars.CountOf(ref reader);
    }
}
