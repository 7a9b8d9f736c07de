using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>A Gemini <c>streamGenerateContent?alt=sse</c> stream, translated to OpenAI <c>chat.completion.chunk</c>s.</summary>
/// <remarks>
/// Each Gemini event becomes one chunk (the first of a choice carries <c>delta.role</c>); when the body ends after
/// the final event, a usage-only chunk (<c>"choices":[]</c>) is synthesized from the last <c>usageMetadata</c>.
/// Gemini has no end marker, so a body that ends before any <c>finishReason</c> is a broken stream, and its usage is
/// unknown. Not thread-safe.
/// </remarks>
internal sealed class GeminiChatStream : SseChatStream
{
    private readonly GeminiStreamUsage _usage = new();
    private readonly GeminiResponse.StreamState _state = new();
    private readonly string? _apiKey;
    private readonly long _created;
    private string? _id;
    private string _model;

    public GeminiChatStream(HttpResponseMessage response, string requestedModel, long created, string? apiKey)
        : base(response, "gemini")
    {
        _model = requestedModel;
        _created = created;
        _apiKey = apiKey;
    }

    /// <inheritdoc/>
    public override UsageReport Usage => _usage.Report;

    /// <inheritdoc/>
    protected override void OnEvent(string eventType, ReadOnlyMemory<byte> data)
    {
        if (data.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return;
        }

        GeminiPayload payload;
        JsonDocument document;
        try
        {
            payload = GeminiPayload.Read(data.Span);
            document = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            Fail(new ProviderError(ProviderErrorKind.MalformedResponse, $"gemini sent a stream event that is not JSON: {ex.Message}"));
            return;
        }

        using (document)
        {
            if (payload.HasError)
            {
                Fail(GeminiErrors.FromPayload(data.Span, _apiKey));
                return;
            }

            _usage.Observe(payload);
            _id ??= payload.ResponseId ?? "chatcmpl-" + Guid.NewGuid().ToString("N");
            _model = payload.ModelVersion ?? _model;
            var chunk = GeminiResponse.ToChunk(document.RootElement, _id, _created, _model, _state);
            foreach (var piece in _state.Text.GetChunks())
            {
                AppendText(piece.Span);
            }

            _state.Text.Clear();
            if (chunk is not null)
            {
                Emit(new StreamChunk(chunk, IsUsageOnly: false));
            }
        }
    }

    /// <inheritdoc/>
    protected override void OnEnd()
    {
        if (!_usage.IsFinal)
        {
            Fail(new ProviderError(ProviderErrorKind.Network, "The stream from gemini ended before the model finished."));
            return;
        }

        var usage = _usage.Report;
        if (usage.IsKnown)
        {
            Emit(new StreamChunk(GeminiResponse.ToUsageChunk(_id ?? "chatcmpl-" + Guid.NewGuid().ToString("N"), _created, _model, usage.Meters), IsUsageOnly: true));
        }
    }
}
