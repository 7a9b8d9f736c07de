using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>Collects the usage of a Gemini <c>streamGenerateContent</c> stream, chunk by chunk.</summary>
/// <remarks>
/// Every chunk may carry <c>usageMetadata</c> with running totals; the last one is the bill, so it is taken, never
/// summed. The usage is known only once the final chunk (the one with a <c>finishReason</c>, or a blocked prompt)
/// arrived: the totals of a stream cut before it undercount, so such a stream reports
/// <see cref="UsageReport.IsKnown"/> false and is priced from an estimate. Not thread-safe: one instance per stream.
/// </remarks>
public sealed class GeminiStreamUsage
{
    private UsageMeters? _meters;
    private string? _model;
    private string? _responseId;
    private bool _final;

    /// <summary>The usage: the last chunk's <c>usageMetadata</c> once the final chunk arrived, otherwise unknown.</summary>
    public UsageReport Report => _final && _meters is { } meters
        ? new UsageReport(meters, IsKnown: true, _model, ProviderRequestId: _responseId)
        : UsageReport.Unknown(_model, _responseId);

    /// <summary>Reads one chunk's JSON (the payload of a <c>data:</c> line).</summary>
    /// <remarks>A payload that is not a JSON object, as the torn last line of a cut stream, is ignored.</remarks>
    public void Observe(ReadOnlySpan<byte> chunkJson)
    {
        GeminiPayload payload;
        try
        {
            payload = GeminiPayload.Read(chunkJson);
        }
        catch (JsonException)
        {
            return;
        }

        Observe(payload);
    }

    /// <summary>Reads the usage of a saved <c>streamGenerateContent?alt=sse</c> transcript.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="transcript"/> is <see langword="null"/>.</exception>
    public static UsageReport ParseSseTranscript(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var usage = new GeminiStreamUsage();
        SseTranscript.ForEachData(transcript, usage, static (u, _, data) => u.Observe(data));
        return usage.Report;
    }

    internal bool IsFinal => _final;

    internal void Observe(in GeminiPayload payload)
    {
        _model = payload.ModelVersion ?? _model;
        _responseId = payload.ResponseId ?? _responseId;
        _final |= payload.IsFinal;
        if (payload.HasUsage)
        {
            _meters = payload.Meters;
        }
    }
}
