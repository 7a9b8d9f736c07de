using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>What Helix meters from a <c>GenerateContentResponse</c> (a whole body or one stream chunk), read in one pass.</summary>
/// <remarks>A mutable value filled by <see cref="Read"/>; not shared.</remarks>
internal struct GeminiPayload
{
    /// <summary>Whether <c>usageMetadata</c> was present.</summary>
    public bool HasUsage;

    /// <summary>The usage, split into disjoint meters.</summary>
    public UsageMeters Meters;

    /// <summary>The <c>modelVersion</c>.</summary>
    public string? ModelVersion;

    /// <summary>The <c>responseId</c>.</summary>
    public string? ResponseId;

    /// <summary>Whether a candidate carried a <c>finishReason</c> or the prompt was blocked: the response is complete.</summary>
    public bool IsFinal;

    /// <summary>Whether the body is an error (<c>{"error":…}</c>).</summary>
    public bool HasError;

    /// <exception cref="JsonException">The payload is not JSON.</exception>
    public static GeminiPayload Read(ReadOnlySpan<byte> json)
    {
        var payload = default(GeminiPayload);
        var reader = JsonScalars.Start(json);

        // An empty body throws here: the reader wants at least one token.
        reader.Read();

        // Errors inside a stream sometimes come wrapped in an array.
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The body is not a JSON object.");
            }
        }
        else if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usageMetadata"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    payload.HasUsage = true;
                    payload.Meters = ReadUsageMetadata(ref reader);
                }
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
            {
                payload.ModelVersion = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                payload.ResponseId = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("candidates"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartArray))
                {
                    payload.IsFinal |= AnyFinishReason(ref reader);
                }
            }
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    payload.IsFinal |= HasBlockReason(ref reader);
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                payload.HasError = true;
                JsonScalars.SkipValue(ref reader);
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        return payload;
    }

    /// <summary>Reads <c>usageMetadata</c> (the reader is on its start) into disjoint meters.</summary>
    /// <remarks>
    /// <c>promptTokenCount</c> includes <c>cachedContentTokenCount</c>: each modality's cached tokens
    /// (<c>cacheTokensDetails</c>) come out of its prompt tokens (<c>promptTokensDetails</c>). Audio has its own
    /// cache meter; cached image, document and video tokens are cache reads. Tokens the details do not cover are
    /// text. Output is <c>candidatesTokenCount</c> (audio candidates apart) plus <c>thoughtsTokenCount</c> as
    /// reasoning; <c>toolUsePromptTokenCount</c> is tool input, outside the prompt count.
    /// </remarks>
    public static UsageMeters ReadUsageMetadata(ref Utf8JsonReader reader)
    {
        long prompt = 0, cached = 0, candidates = 0, thoughts = 0, toolUse = 0;
        Modalities promptDetails = default, cacheDetails = default, candidateDetails = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                prompt = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                cached = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                candidates = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                thoughts = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("toolUsePromptTokenCount"u8))
            {
                toolUse = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("promptTokensDetails"u8))
            {
                promptDetails = Modalities.Read(ref reader);
            }
            else if (reader.ValueTextEquals("cacheTokensDetails"u8))
            {
                cacheDetails = Modalities.Read(ref reader);
            }
            else if (reader.ValueTextEquals("candidatesTokensDetails"u8))
            {
                candidateDetails = Modalities.Read(ref reader);
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        prompt = Math.Max(prompt, promptDetails.Sum);
        cached = Math.Min(Math.Max(cached, cacheDetails.Sum), prompt);
        promptDetails.Text += prompt - promptDetails.Sum;

        // Each modality's cache read is bounded by its prompt tokens, so no meter goes negative on odd details.
        var cachedAudio = Math.Min(cacheDetails.Audio, promptDetails.Audio);
        var cachedImage = Math.Min(cacheDetails.Image, promptDetails.Image);
        var cachedVideo = Math.Min(cacheDetails.Video, promptDetails.Video);
        var cachedText = Math.Min(cached - cachedAudio - cachedImage - cachedVideo, promptDetails.Text);
        var audioOut = Math.Min(candidateDetails.Audio, candidates);
        return new UsageMeters
        {
            InputTokens = promptDetails.Text - cachedText,
            CacheReadTokens = cachedText + cachedImage + cachedVideo,
            InputAudioTokens = promptDetails.Audio - cachedAudio,
            CacheReadAudioTokens = cachedAudio,
            InputImageTokens = promptDetails.Image - cachedImage,
            InputVideoTokens = promptDetails.Video - cachedVideo,
            ToolPromptTokens = toolUse,
            OutputTokens = candidates - audioOut,
            OutputAudioTokens = audioOut,
            ReasoningTokens = thoughts,
        };
    }

    private static bool AnyFinishReason(ref Utf8JsonReader reader)
    {
        var final = false;
        while (JsonScalars.NextObject(ref reader))
        {
            final |= HasReason(ref reader, "finishReason"u8, "FINISH_REASON_UNSPECIFIED");
        }

        return final;
    }

    private static bool HasBlockReason(ref Utf8JsonReader reader) => HasReason(ref reader, "blockReason"u8, "BLOCK_REASON_UNSPECIFIED");

    /// <summary>Whether the object the reader is in has a reason <paramref name="name"/> that says something.</summary>
    private static bool HasReason(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, string unspecified)
    {
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                found |= JsonScalars.ReadString(ref reader) is { Length: > 0 } reason && reason != unspecified;
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        return found;
    }

    /// <summary>Token counts by modality (<c>ModalityTokenCount[]</c>); DOCUMENT counts as image, unknown modalities as text.</summary>
    private struct Modalities
    {
        public long Text;
        public long Audio;
        public long Image;
        public long Video;

        public readonly long Sum => Text + Audio + Image + Video;

        public static Modalities Read(ref Utf8JsonReader reader)
        {
            var counts = default(Modalities);
            if (!JsonScalars.TryEnter(ref reader, JsonTokenType.StartArray))
            {
                return counts;
            }

            while (JsonScalars.NextObject(ref reader))
            {
                string? modality = null;
                long tokens = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("modality"u8))
                    {
                        modality = JsonScalars.ReadString(ref reader);
                    }
                    else if (reader.ValueTextEquals("tokenCount"u8))
                    {
                        tokens = JsonScalars.ReadCount(ref reader);
                    }
                    else
                    {
                        JsonScalars.SkipValue(ref reader);
                    }
                }

                switch (modality)
                {
                    case "AUDIO":
                        counts.Audio += tokens;
                        break;
                    case "IMAGE" or "DOCUMENT":
                        counts.Image += tokens;
                        break;
                    case "VIDEO":
                        counts.Video += tokens;
                        break;
                    default:
                        counts.Text += tokens;
                        break;
                }
            }

            return counts;
        }
    }
}
