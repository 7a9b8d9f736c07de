using System.Text.Json;
using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>A stream of a provider's JSON events translated to OpenAI <c>chat.completion.chunk</c>s (Anthropic, Gemini).</summary>
/// <remarks>
/// Blank events are passed over; an event that is not JSON ends the stream as
/// <see cref="ProviderErrorKind.MalformedResponse"/>; any other reaches <see cref="OnJsonEvent"/> parsed, the document
/// living for that call only. Holds what every translated chunk repeats: <see cref="Created"/> and the
/// <see cref="Model"/>, the requested one until the provider names its own. Not thread-safe.
/// </remarks>
internal abstract class TranslatedChatStream : SseChatStream
{
    protected TranslatedChatStream(HttpResponseMessage response, string provider, string requestedModel, long created, string? apiKey)
        : base(response, provider, apiKey)
    {
        Model = requestedModel;
        Created = created;
    }

    /// <summary>The <c>created</c> of every chunk, in Unix seconds.</summary>
    protected long Created { get; }

    /// <summary>The <c>model</c> of the chunks.</summary>
    protected string Model { get; set; }

    /// <inheritdoc/>
    protected sealed override void OnEvent(string eventType, ReadOnlyMemory<byte> data)
    {
        if (data.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return;
        }

        JsonDocument document;
        try
        {
            ReadFields(data.Span);
            document = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            Fail(new ProviderError(ProviderErrorKind.MalformedResponse, $"{Provider} sent a stream event that is not JSON: {ex.Message}"));
            return;
        }

        using (document)
        {
            OnJsonEvent(eventType, data, document.RootElement);
        }
    }

    /// <summary>Reads what a subclass takes from an event in one pass before it is parsed whole.</summary>
    /// <exception cref="JsonException">The event is not what the provider sends; the stream ends as malformed.</exception>
    protected virtual void ReadFields(ReadOnlySpan<byte> data)
    {
    }

    /// <summary>Translates one event; <paramref name="eventType"/> is <c>message</c> when the event named none.</summary>
    protected abstract void OnJsonEvent(string eventType, ReadOnlyMemory<byte> data, JsonElement root);
}
