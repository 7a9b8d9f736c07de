using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>An OpenAI-compatible chat stream: each <c>data:</c> payload is passed on as it came.</summary>
/// <remarks>
/// The chunk that carries usage with <c>"choices":[]</c> is marked <see cref="StreamChunk.IsUsageOnly"/>.
/// <c>[DONE]</c> ends the stream; an <c>{"error":…}</c> event or a payload that is not JSON ends it with an error;
/// a body that ends before <c>[DONE]</c> and before any <c>finish_reason</c> is a broken stream. Not thread-safe.
/// </remarks>
internal sealed class OpenAIChatStream : SseChatStream
{
    private readonly OpenAIStreamUsage _usage = new();
    private readonly StringBuilder _delta = new();
    private bool _finished;

    public OpenAIChatStream(HttpResponseMessage response, string provider, string? apiKey)
        : base(response, provider, apiKey)
    {
    }

    /// <inheritdoc/>
    public override UsageReport Usage => _usage.Report;

    /// <inheritdoc/>
    protected override void OnEvent(string eventType, ReadOnlyMemory<byte> data)
    {
        var span = data.Span.Trim(" \t\r\n"u8);
        if (span.IsEmpty)
        {
            return;
        }

        if (span.SequenceEqual("[DONE]"u8))
        {
            Complete();
            return;
        }

        OpenAIChatPayload payload;
        _delta.Clear();
        try
        {
            payload = OpenAIChatPayload.Read(span, _delta);
        }
        catch (JsonException ex)
        {
            Fail(new ProviderError(ProviderErrorKind.MalformedResponse, $"{Provider} sent a stream event that is not JSON: {ex.Message}"));
            return;
        }

        if (payload.HasError)
        {
            Fail(OpenAIErrors.FromPayload(payload, Provider, ApiKey));
            return;
        }

        foreach (var piece in _delta.GetChunks())
        {
            AppendText(piece.Span);
        }

        _usage.Observe(payload);
        _finished |= payload.HasFinish;
        Emit(new StreamChunk(data, IsUsageOnly: payload.Choices == 0 && payload.HasUsage));
    }

    /// <inheritdoc/>
    protected override void OnEnd()
    {
        if (!_finished)
        {
            Fail(new ProviderError(ProviderErrorKind.Network, $"The stream from {Provider} ended before the model finished."));
        }
    }
}
