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
internal sealed class GeminiChatStream : TranslatedChatStream
{
    private readonly GeminiStreamUsage _usage = new();
    private readonly GeminiResponse.StreamState _state = new();
    private GeminiPayload _payload;
    private string? _id;

    public GeminiChatStream(HttpResponseMessage response, string requestedModel, long created, string? apiKey)
        : base(response, "gemini", requestedModel, created, apiKey)
    {
    }

    /// <inheritdoc/>
    public override UsageReport Usage => _usage.Report;

    /// <inheritdoc/>
    protected override void ReadFields(ReadOnlySpan<byte> data) => _payload = GeminiPayload.Read(data);

    /// <inheritdoc/>
    protected override void OnJsonEvent(string eventType, ReadOnlyMemory<byte> data, JsonElement root)
    {
        if (_payload.HasError)
        {
            Fail(GeminiErrors.FromPayload(data.Span, ApiKey));
            return;
        }

        _usage.Observe(_payload);
        _id ??= _payload.ResponseId ?? ChatJson.NewId();
        Model = _payload.ModelVersion ?? Model;
        var chunk = GeminiResponse.ToChunk(root, _id, Created, Model, _state);
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
            Emit(new StreamChunk(GeminiResponse.ToUsageChunk(_id ?? ChatJson.NewId(), Created, Model, usage.Meters), IsUsageOnly: true));
        }
    }
}
