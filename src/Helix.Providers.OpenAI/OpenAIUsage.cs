using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>Turns the usage of OpenAI-compatible responses (OpenAI, DeepSeek) into disjoint meters.</summary>
/// <remarks>
/// The one code path for usage: the adapters and <c>helix cost</c> both call it. Subsets are split, never added:
/// cached and audio prompt tokens come out of <c>prompt_tokens</c>, reasoning and audio completion tokens out of
/// <c>completion_tokens</c>. A body without usage gives a report with <see cref="UsageReport.IsKnown"/> false,
/// never zeros. Stateless and thread-safe; reads with a <see cref="Utf8JsonReader"/>, allocating only the strings
/// it returns.
/// </remarks>
public static class OpenAIUsage
{
    /// <summary>Reads the usage of a <c>chat.completion</c> body (OpenAI or DeepSeek).</summary>
    /// <param name="body">The UTF-8 JSON body.</param>
    /// <returns>The meters, the reported model, service tier (<c>default</c>/<c>auto</c> read as none) and response id.</returns>
    /// <exception cref="JsonException"><paramref name="body"/> is not a JSON object.</exception>
    public static UsageReport ParseChatCompletion(ReadOnlySpan<byte> body)
    {
        var payload = OpenAIChatPayload.Read(body, text: null);
        return ReportOf(payload);
    }

    /// <summary>Reads the usage of an embeddings body: every prompt token is input.</summary>
    /// <exception cref="JsonException"><paramref name="body"/> is not a JSON object.</exception>
    public static UsageReport ParseEmbeddings(ReadOnlySpan<byte> body)
    {
        var reader = JsonScalars.Start(body);
        RequireObject(ref reader);
        string? model = null;
        long? prompt = null, total = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                model = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8) && JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
            {
                prompt ??= 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("prompt_tokens"u8))
                    {
                        prompt = JsonScalars.ReadCount(ref reader);
                    }
                    else if (reader.ValueTextEquals("total_tokens"u8))
                    {
                        total = JsonScalars.ReadCount(ref reader);
                    }
                    else
                    {
                        JsonScalars.SkipValue(ref reader);
                    }
                }
            }
            else if (reader.TokenType == JsonTokenType.PropertyName)
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        if (prompt is null)
        {
            return UsageReport.Unknown(model);
        }

        // Embeddings have no output: a usage with only total_tokens still counts every token as input.
        var input = prompt.Value == 0 && total is { } all ? all : prompt.Value;
        return new UsageReport(new UsageMeters { InputTokens = input }, IsKnown: true, model);
    }

    /// <summary>Reads the usage of a transcription body, or of a streamed transcription's <c>transcript.text.done</c> event.</summary>
    /// <remarks>
    /// <c>usage.type</c> <c>tokens</c> (gpt-4o-transcribe): audio and text input tokens and output tokens; without
    /// <c>input_token_details</c> every input token is audio. <c>usage.type</c> <c>duration</c> (whisper-1): seconds of
    /// audio. Without usage, a <c>verbose_json</c> body's <c>duration</c> is the billed seconds. A body with none of
    /// these (the <c>text</c>, <c>srt</c> and <c>vtt</c> formats are not JSON at all) has unknown usage.
    /// </remarks>
    /// <exception cref="JsonException"><paramref name="body"/> is not a JSON object.</exception>
    public static UsageReport ParseTranscription(ReadOnlySpan<byte> body)
    {
        var reader = JsonScalars.Start(body);
        RequireObject(ref reader);
        UsageMeters? fromUsage = null;
        decimal? duration = null;
        string? model = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    fromUsage = ReadTranscriptionUsage(ref reader);
                }
            }
            else if (reader.ValueTextEquals("duration"u8))
            {
                duration = JsonScalars.ReadDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                model = JsonScalars.ReadString(ref reader);
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        if (fromUsage is { } meters)
        {
            return new UsageReport(meters, IsKnown: true, model);
        }

        return duration is { } seconds
            ? new UsageReport(new UsageMeters { AudioSeconds = seconds }, IsKnown: true, model)
            : UsageReport.Unknown(model);
    }

    /// <summary>The usage of a speech (text-to-speech) call, whose response is audio without usage: the characters of its input.</summary>
    /// <param name="input">The request's <c>input</c> text.</param>
    /// <returns>A known report whose <see cref="UsageMeters.Characters"/> is the number of Unicode code points.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    public static UsageReport SpeechUsage(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long characters = 0;
        foreach (var rune in input.EnumerateRunes())
        {
            _ = rune;
            characters++;
        }

        return new UsageReport(new UsageMeters { Characters = characters }, IsKnown: true);
    }

    internal static UsageReport ReportOf(in OpenAIChatPayload payload) => payload.HasUsage
        ? new UsageReport(payload.Meters, IsKnown: true, payload.Model, TierOf(payload.ServiceTier), payload.Id)
        : UsageReport.Unknown(payload.Model, payload.Id);

    /// <summary>The tier to price: <c>default</c> and <c>auto</c> are the standard rates, so they read as none.</summary>
    internal static string? TierOf(string? serviceTier) =>
        string.IsNullOrEmpty(serviceTier)
        || serviceTier.Equals("default", StringComparison.OrdinalIgnoreCase)
        || serviceTier.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? null
            : serviceTier;

    private static UsageMeters? ReadTranscriptionUsage(ref Utf8JsonReader reader)
    {
        string? type = null;
        long input = 0, output = 0;
        decimal exactSeconds = 0m;
        long? audioDetail = null;
        bool hasInput = false, hasSeconds = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                type = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = JsonScalars.ReadCount(ref reader);
                hasInput = true;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                output = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("seconds"u8))
            {
                exactSeconds = JsonScalars.ReadDecimal(ref reader);
                hasSeconds = true;
            }
            else if (reader.ValueTextEquals("input_token_details"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    audioDetail = 0;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("audio_tokens"u8))
                        {
                            audioDetail = JsonScalars.ReadCount(ref reader);
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

        if (string.Equals(type, "duration", StringComparison.Ordinal) || (type is null && hasSeconds && !hasInput))
        {
            return new UsageMeters { AudioSeconds = exactSeconds };
        }

        if (!hasInput && output == 0)
        {
            return null;
        }

        // Text tokens are the prompt; the rest of the input is audio.
        var audio = Math.Min(audioDetail ?? input, input);
        return new UsageMeters { InputAudioTokens = audio, InputTokens = input - audio, OutputTokens = output };
    }

    private static void RequireObject(ref Utf8JsonReader reader)
    {
        if (!JsonScalars.StartObject(ref reader))
        {
            throw new JsonException("The body is not a JSON object.");
        }
    }
}
