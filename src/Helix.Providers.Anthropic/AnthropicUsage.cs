using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>Turns the usage of Anthropic Messages API responses into disjoint meters.</summary>
/// <remarks>
/// The one code path for Anthropic usage: adapters and <c>helix cost</c> both call it. Anthropic's semantics are
/// the opposite of OpenAI's: <c>input_tokens</c> holds only uncached tokens, and cache reads and writes are separate
/// counts, so nothing is subtracted; 5-minute and 1-hour cache writes are kept apart because they are priced apart.
/// Stateless and thread-safe; reads with a <see cref="Utf8JsonReader"/>.
/// </remarks>
public static class AnthropicUsage
{
    /// <summary>Reads the usage of a Messages API response (<c>"type":"message"</c>).</summary>
    /// <param name="body">The UTF-8 JSON body.</param>
    /// <returns>The meters, the reported model, the service tier (<c>standard</c> read as none) and the message id.</returns>
    /// <exception cref="JsonException"><paramref name="body"/> is not a JSON object.</exception>
    public static UsageReport ParseMessage(ReadOnlySpan<byte> body)
    {
        var reader = JsonScalars.Start(body);
        if (!JsonScalars.StartObject(ref reader))
        {
            throw new JsonException("The body is not a JSON object.");
        }

        var message = ReadMessage(ref reader);
        return message.Usage is { } usage
            ? new UsageReport(usage.ToMeters(), IsKnown: true, message.Model, AnthropicUsageFields.TierOf(usage.ServiceTier), message.Id)
            : UsageReport.Unknown(message.Model, message.Id);
    }

    /// <summary>Reads a message object's id, model and usage; the reader is on its start.</summary>
    internal static (string? Id, string? Model, AnthropicUsageFields? Usage) ReadMessage(ref Utf8JsonReader reader)
    {
        string? id = null, model = null;
        AnthropicUsageFields? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                model = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    usage = AnthropicUsageFields.Read(ref reader);
                }
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        return (id, model, usage);
    }
}
