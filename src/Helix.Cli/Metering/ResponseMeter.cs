using System.Text;
using System.Text.Json;
using Helix.Providers.Anthropic;
using Helix.Providers.Deepgram;
using Helix.Providers.Gemini;
using Helix.Providers.OpenAI;

namespace Helix.Cli.Metering;

/// <summary>Meters a saved response with the parser the gateway's adapter for its provider uses.</summary>
/// <remarks>
/// The CLI does no metering of its own: each provider's usage parser is called as the adapter calls it, so
/// <c>helix cost</c> shows what the gateway would have logged. Only the choice of parser is made here: an
/// OpenAI-compatible body is a chat completion, embeddings or a transcription by its shape, and a streamed
/// transcription by its <c>transcript.text.done</c> event; a Deepgram stream's usage is its final
/// <c>Metadata</c> message, found among the saved messages (JSON Lines, a JSON array, or that message alone).
/// </remarks>
internal static class ResponseMeter
{
    /// <exception cref="JsonException">The body is not the JSON the provider sends.</exception>
    public static MeteredResponse Meter(ProviderResponse response) => response.Provider switch
    {
        "openai" or "deepseek" => OpenAICompatible(response),
        "gemini" => Gemini(response),
        "anthropic" => Anthropic(response),
        "deepgram" => Deepgram(response),
        "edge-tts" => new MeteredResponse(OpenAIUsage.SpeechUsage(response.InputText!), "speech (characters of the input)"),
        var other => throw new ArgumentException($"No usage parser for provider '{other}'.", nameof(response)),
    };

    private static MeteredResponse OpenAICompatible(ProviderResponse response)
    {
        if (response.InputText is { } text)
        {
            return new MeteredResponse(OpenAIUsage.SpeechUsage(text), "speech (characters of the input)");
        }

        var body = response.Body!;
        if (response.Stream)
        {
            var transcript = Encoding.UTF8.GetString(body);
            return TranscriptionDone(transcript) is { } done
                ? new MeteredResponse(OpenAIUsage.ParseTranscription(done), "transcription stream")
                : new MeteredResponse(OpenAIStreamUsage.ParseSseTranscript(transcript), "chat.completion stream");
        }

        return ShapeOf(body) switch
        {
            OpenAIShape.Embeddings => new MeteredResponse(OpenAIUsage.ParseEmbeddings(body), "embeddings"),
            OpenAIShape.Transcription => new MeteredResponse(OpenAIUsage.ParseTranscription(body), "transcription"),
            _ => new MeteredResponse(OpenAIUsage.ParseChatCompletion(body), "chat.completion"),
        };
    }

    private static MeteredResponse Gemini(ProviderResponse response) => response.Stream
        ? new MeteredResponse(GeminiStreamUsage.ParseSseTranscript(Encoding.UTF8.GetString(response.Body!)), "streamGenerateContent")
        : new MeteredResponse(GeminiUsage.ParseGenerateContent(response.Body), "generateContent");

    private static MeteredResponse Anthropic(ProviderResponse response) => response.Stream
        ? new MeteredResponse(AnthropicStreamUsage.ParseSseTranscript(Encoding.UTF8.GetString(response.Body!)), "message stream")
        : new MeteredResponse(AnthropicUsage.ParseMessage(response.Body), "message");

    private static MeteredResponse Deepgram(ProviderResponse response)
    {
        if (!response.Stream)
        {
            return new MeteredResponse(DeepgramUsage.ParseListen(response.Body, response.Multichannel), "listen");
        }

        var messages = StreamingMessages(response.Body!);
        var metadata = messages.FindLast(m => MessageType(m) == "Metadata") ?? (messages.Count > 0 ? messages[^1] : null);
        return metadata is null
            ? throw new JsonException("The Deepgram stream has no messages.")
            : new MeteredResponse(DeepgramUsage.ParseStreamingMetadata(metadata, response.Multichannel), "listen stream");
    }

    // A Deepgram stream's messages as saved: one JSON object, a JSON array of them, or one per line.
    private static List<byte[]> StreamingMessages(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? [.. document.RootElement.EnumerateArray().Select(e => Encoding.UTF8.GetBytes(e.GetRawText()))]
                : [body];
        }
        catch (JsonException)
        {
            // Not one JSON value: JSON Lines.
        }

        var messages = new List<byte[]>();
        var number = 0;
        foreach (var line in Encoding.UTF8.GetString(body).Split('\n'))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                using var message = JsonDocument.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new JsonException($"Line {number} of the Deepgram stream is not a JSON message: {ex.Message}", ex);
            }

            messages.Add(Encoding.UTF8.GetBytes(text));
        }

        return messages;
    }

    private static string? MessageType(byte[] message)
    {
        using var document = JsonDocument.Parse(message);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
    }

    private enum OpenAIShape
    {
        ChatCompletion,
        Embeddings,
        Transcription,
    }

    // Embeddings: "object":"list" with embedding items. Transcription: a "text" and no "choices".
    private static OpenAIShape ShapeOf(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body is not a JSON object.");
        }

        if (root.TryGetProperty("choices", out _))
        {
            return OpenAIShape.ChatCompletion;
        }

        if ((root.TryGetProperty("object", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "list")
            || (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                && data.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("embedding", out _))))
        {
            return OpenAIShape.Embeddings;
        }

        if (root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return OpenAIShape.Transcription;
        }

        return root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
            && usage.TryGetProperty("type", out var usageType) && usageType.GetString() is "duration" or "tokens"
            ? OpenAIShape.Transcription
            : OpenAIShape.ChatCompletion;
    }

    // The payload of a streamed transcription's last event, which carries its usage.
    private static byte[]? TranscriptionDone(string transcript)
    {
        byte[]? done = null;
        foreach (var line in SseData(transcript))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("type", out var type)
                    && type.ValueKind == JsonValueKind.String && type.GetString() == "transcript.text.done")
                {
                    done = Encoding.UTF8.GetBytes(line);
                }
            }
            catch (JsonException)
            {
                // A torn last line of a cut stream: the parsers ignore it too.
            }
        }

        return done;
    }

    private static IEnumerable<string> SseData(string transcript)
    {
        foreach (var raw in transcript.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var data = line["data:".Length..].Trim();
                if (data.Length > 0 && data != "[DONE]")
                {
                    yield return data;
                }
            }
        }
    }
}
