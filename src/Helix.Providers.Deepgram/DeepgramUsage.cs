using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Deepgram;

/// <summary>Turns Deepgram speech-to-text metadata into billed seconds of audio.</summary>
/// <remarks>
/// Deepgram bills <c>duration</c> seconds of audio per channel transcribed: times <c>channels</c> when the request
/// set <c>multichannel=true</c>, and times the channels of <c>results</c> whenever it holds more than one, so a
/// response read on its own (<c>helix cost</c>) is priced per channel too. Streamed audio is priced apart from pre-recorded audio, so streamed usage carries the
/// service tier <see cref="StreamingTier"/>. The reported model is the model's architecture (<c>nova-3</c>), else its
/// name. Stateless and thread-safe; reads with a <see cref="Utf8JsonReader"/>.
/// </remarks>
public static class DeepgramUsage
{
    /// <summary>The service tier of streamed (WebSocket) usage.</summary>
    public const string StreamingTier = "streaming";

    /// <summary>Reads the usage of a pre-recorded <c>/v1/listen</c> response, from its <c>metadata</c>.</summary>
    /// <param name="body">The UTF-8 JSON body.</param>
    /// <param name="multichannel">Whether the request set <c>multichannel=true</c>, which bills every channel.</param>
    /// <returns>The seconds billed (per channel when the results hold more than one), the model and <c>request_id</c>; unknown without a <c>duration</c>.</returns>
    /// <exception cref="JsonException"><paramref name="body"/> is not a JSON object.</exception>
    public static UsageReport ParseListen(ReadOnlySpan<byte> body, bool multichannel)
    {
        var reader = Start(body);
        Metadata metadata = default;
        long resultChannels = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8) && JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
            {
                metadata = Metadata.Read(ref reader);
            }
            else if (reader.ValueTextEquals("results"u8) && JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
            {
                resultChannels = CountResultChannels(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.PropertyName)
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        // Every channel transcribed is billed: the results say how many were, whatever the flag passed in.
        if (resultChannels > 1)
        {
            metadata.Channels = Math.Max(metadata.Channels, resultChannels);
            multichannel = true;
        }

        return metadata.ToReport(multichannel, serviceTier: null);
    }

    /// <summary>Reads the usage of a live stream from its final <c>{"type":"Metadata",…}</c> message.</summary>
    /// <param name="message">The UTF-8 JSON text of the message.</param>
    /// <param name="multichannel">Whether the stream was opened with <c>multichannel=true</c>.</param>
    /// <returns>The seconds billed with service tier <see cref="StreamingTier"/>; unknown for any other message.</returns>
    /// <exception cref="JsonException"><paramref name="message"/> is not a JSON object.</exception>
    public static UsageReport ParseStreamingMetadata(ReadOnlySpan<byte> message, bool multichannel)
    {
        var reader = Start(message);
        var metadata = Metadata.Read(ref reader);
        return string.Equals(metadata.Type, "Metadata", StringComparison.Ordinal)
            ? metadata.ToReport(multichannel, StreamingTier)
            : UsageReport.Unknown(metadata.Model, metadata.RequestId);
    }

    // The reader is on the start of results; counts the entries of its channels array.
    private static long CountResultChannels(ref Utf8JsonReader reader)
    {
        long count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("channels"u8) && JsonScalars.TryEnter(ref reader, JsonTokenType.StartArray))
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    count++;
                    reader.Skip();
                }
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        return count;
    }

    private static Utf8JsonReader Start(ReadOnlySpan<byte> body)
    {
        var reader = JsonScalars.Start(body);
        if (!JsonScalars.StartObject(ref reader))
        {
            throw new JsonException("The body is not a JSON object.");
        }

        return reader;
    }

    private struct Metadata
    {
        public string? Type;
        public string? RequestId;
        public string? Model;
        public decimal? Duration;
        public long Channels;

        // The reader is on the object's start; model_info holds one entry per model id.
        public static Metadata Read(ref Utf8JsonReader reader)
        {
            var metadata = new Metadata { Channels = 1 };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    metadata.Type = JsonScalars.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("request_id"u8))
                {
                    metadata.RequestId = JsonScalars.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("duration"u8))
                {
                    metadata.Duration = JsonScalars.ReadDecimal(ref reader);
                }
                else if (reader.ValueTextEquals("channels"u8))
                {
                    metadata.Channels = Math.Max(1, JsonScalars.ReadCount(ref reader));
                }
                else if (reader.ValueTextEquals("model_info"u8))
                {
                    if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                    {
                        metadata.Model = ReadModelInfo(ref reader);
                    }
                }
                else
                {
                    JsonScalars.SkipValue(ref reader);
                }
            }

            return metadata;
        }

        public readonly UsageReport ToReport(bool multichannel, string? serviceTier) => Duration is { } seconds
            ? new UsageReport(new UsageMeters { AudioSeconds = multichannel ? seconds * Channels : seconds }, IsKnown: true, Model, serviceTier, RequestId)
            : UsageReport.Unknown(Model, RequestId);

        private static string? ReadModelInfo(ref Utf8JsonReader reader)
        {
            string? model = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    continue;
                }

                string? name = null, arch = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("arch"u8))
                    {
                        arch = JsonScalars.ReadString(ref reader);
                    }
                    else if (reader.ValueTextEquals("name"u8))
                    {
                        name = JsonScalars.ReadString(ref reader);
                    }
                    else
                    {
                        JsonScalars.SkipValue(ref reader);
                    }
                }

                model ??= arch ?? name;
            }

            return model;
        }
    }
}
