using System.Buffers;
using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>What Helix needs from a <c>chat.completion</c> body or a <c>chat.completion.chunk</c>, read in one pass.</summary>
/// <remarks>A mutable value filled by <see cref="Read"/>; not shared.</remarks>
internal struct OpenAIChatPayload
{
    /// <summary>The response id (<c>chatcmpl-…</c>).</summary>
    public string? Id;

    /// <summary>The model the response names.</summary>
    public string? Model;

    /// <summary>The service tier the response names, as sent.</summary>
    public string? ServiceTier;

    /// <summary>Whether a non-null <c>usage</c> object was present.</summary>
    public bool HasUsage;

    /// <summary>The usage, split into disjoint meters.</summary>
    public UsageMeters Meters;

    /// <summary>The number of entries of <c>choices</c>, or -1 when there is no <c>choices</c> array.</summary>
    public int Choices;

    /// <summary>Whether a choice carried a non-null <c>finish_reason</c>.</summary>
    public bool HasFinish;

    /// <summary>Whether the body is an error (<c>{"error":…}</c>).</summary>
    public bool HasError;

    /// <summary>The error's message.</summary>
    public string? ErrorMessage;

    /// <summary>The error's code.</summary>
    public string? ErrorCode;

    /// <summary>The error's type.</summary>
    public string? ErrorType;

    /// <summary>Reads a body or chunk; appends <c>delta</c> text (content, reasoning, tool arguments) to <paramref name="text"/>.</summary>
    /// <exception cref="JsonException">The payload is not JSON.</exception>
    public static OpenAIChatPayload Read(ReadOnlySpan<byte> json, StringBuilder? text)
    {
        var payload = new OpenAIChatPayload { Choices = -1 };
        var reader = JsonScalars.Start(json);
        if (!JsonScalars.StartObject(ref reader))
        {
            throw new JsonException("The body is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    payload.HasUsage = true;
                    payload.Meters = ReadUsage(ref reader);
                }
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartArray))
                {
                    ReadChoices(ref reader, ref payload, text);
                }
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                payload.Model = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                payload.Id = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("service_tier"u8))
            {
                payload.ServiceTier = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                ReadError(ref reader, ref payload);
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        return payload;
    }

    private static void ReadError(ref Utf8JsonReader reader, ref OpenAIChatPayload payload)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                payload.HasError = true;
                payload.ErrorMessage = reader.GetString();
                return;
            case JsonTokenType.StartObject:
                payload.HasError = true;
                break;
            default:
                reader.Skip();
                return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                payload.ErrorMessage = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                payload.ErrorCode = ReadCode(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                payload.ErrorType = JsonScalars.ReadString(ref reader);
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }
    }

    private static void ReadChoices(ref Utf8JsonReader reader, ref OpenAIChatPayload payload, StringBuilder? text)
    {
        payload.Choices = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            payload.Choices++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    payload.HasFinish |= reader.TokenType == JsonTokenType.String;
                    reader.Skip();
                }
                else if (text is not null && (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8)))
                {
                    if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                    {
                        ReadMessageText(ref reader, text);
                    }
                }
                else
                {
                    JsonScalars.SkipValue(ref reader);
                }
            }
        }
    }

    private static void ReadMessageText(ref Utf8JsonReader reader, StringBuilder text)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("reasoning_content"u8)
                || reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                AppendString(ref reader, text);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartArray))
                {
                    ReadToolCallText(ref reader, text);
                }
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }
    }

    // Tool-call arguments are output tokens too: keep them for estimates.
    private static void ReadToolCallText(ref Utf8JsonReader reader, StringBuilder text)
    {
        while (JsonScalars.NextObject(ref reader))
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("function"u8) && JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("arguments"u8))
                        {
                            reader.Read();
                            AppendString(ref reader, text);
                            reader.Skip();
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
        }
    }

    /// <summary>Reads an OpenAI or DeepSeek <c>usage</c> object (the reader is on its start) into disjoint meters.</summary>
    /// <remarks>
    /// Cached and audio prompt tokens are subsets of <c>prompt_tokens</c>; reasoning and audio completion tokens are
    /// subsets of <c>completion_tokens</c>. DeepSeek's <c>prompt_cache_hit_tokens</c>/<c>prompt_cache_miss_tokens</c>
    /// win over <c>cached_tokens</c> when present.
    /// </remarks>
    public static UsageMeters ReadUsage(ref Utf8JsonReader reader)
    {
        long prompt = 0, completion = 0, cached = 0, cachedAudio = 0, promptAudio = 0, reasoning = 0, completionAudio = 0;
        long? hit = null, miss = null;
        var hasPrompt = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = JsonScalars.ReadCount(ref reader);
                hasPrompt = true;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8))
            {
                hit = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_cache_miss_tokens"u8))
            {
                miss = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    ReadPromptDetails(ref reader, ref cached, ref cachedAudio, ref promptAudio);
                }
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    ReadCompletionDetails(ref reader, ref reasoning, ref completionAudio);
                }
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        if (!hasPrompt && (hit is not null || miss is not null))
        {
            prompt = (hit ?? 0) + (miss ?? 0);
        }

        if (hit is { } hits)
        {
            cached = hits;
        }
        else if (miss is { } misses)
        {
            cached = Math.Max(0, prompt - misses);
        }

        cached = Math.Min(cached, prompt);
        cachedAudio = Math.Min(cachedAudio, Math.Min(cached, promptAudio));
        promptAudio = Math.Min(promptAudio, prompt - (cached - cachedAudio));
        reasoning = Math.Min(reasoning, completion);
        completionAudio = Math.Min(completionAudio, completion - reasoning);
        return new UsageMeters
        {
            InputTokens = prompt - cached - (promptAudio - cachedAudio),
            CacheReadTokens = cached - cachedAudio,
            InputAudioTokens = promptAudio - cachedAudio,
            CacheReadAudioTokens = cachedAudio,
            OutputTokens = completion - reasoning - completionAudio,
            ReasoningTokens = reasoning,
            OutputAudioTokens = completionAudio,
        };
    }

    private static void ReadPromptDetails(ref Utf8JsonReader reader, ref long cached, ref long cachedAudio, ref long audio)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("audio_tokens"u8))
            {
                audio = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("cached_tokens_details"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("audio_tokens"u8))
                        {
                            cachedAudio = JsonScalars.ReadCount(ref reader);
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
    }

    private static void ReadCompletionDetails(ref Utf8JsonReader reader, ref long reasoning, ref long audio)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("reasoning_tokens"u8))
            {
                reasoning = JsonScalars.ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("audio_tokens"u8))
            {
                audio = JsonScalars.ReadCount(ref reader);
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }
    }

    /// <summary>Reads the value after a property name as a string or number, as text (error codes come as both).</summary>
    private static string? ReadCode(ref Utf8JsonReader reader)
    {
        JsonScalars.Advance(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => SkipToNull(ref reader),
        };
    }

    /// <summary>Appends the string value at the reader to <paramref name="text"/> without an intermediate string.</summary>
    private static void AppendString(ref Utf8JsonReader reader, StringBuilder text)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return;
        }

        // Unescaped UTF-16 is never longer than the escaped UTF-8 it came from.
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = reader.CopyString(buffer);
            text.Append(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string? SkipToNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
