using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>Collects the usage of an OpenAI-compatible chat stream, chunk by chunk.</summary>
/// <remarks>
/// Usage arrives in the last chunk (<c>"choices":[]</c>) when the request set
/// <c>stream_options.include_usage</c>; a server that repeats cumulative usage on several chunks is read by its
/// last one. A stream cut before its usage reports <see cref="UsageReport.IsKnown"/> false, never zeros.
/// Not thread-safe: one instance per stream.
/// </remarks>
public sealed class OpenAIStreamUsage
{
    private string? _model;
    private string? _id;
    private string? _serviceTier;
    private UsageMeters? _meters;

    /// <summary>The usage seen so far: the last usage chunk's, or unknown when none arrived.</summary>
    public UsageReport Report => _meters is { } meters
        ? new UsageReport(meters, IsKnown: true, _model, OpenAIUsage.TierOf(_serviceTier), _id)
        : UsageReport.Unknown(_model, _id);

    /// <summary>Reads one chunk's JSON (the payload of a <c>data:</c> line).</summary>
    /// <remarks>A payload that is not a JSON object, as the torn last line of a cut stream, is ignored.</remarks>
    public void Observe(ReadOnlySpan<byte> chunkJson)
    {
        OpenAIChatPayload payload;
        try
        {
            payload = OpenAIChatPayload.Read(chunkJson, text: null);
        }
        catch (JsonException)
        {
            return;
        }

        Observe(payload);
    }

    /// <summary>Reads the usage of a saved stream transcript: every <c>data:</c> line, skipping comments and <c>[DONE]</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="transcript"/> is <see langword="null"/>.</exception>
    public static UsageReport ParseSseTranscript(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var usage = new OpenAIStreamUsage();
        SseTranscript.ForEachData(transcript, usage, static (u, _, data) => u.Observe(data));
        return usage.Report;
    }

    internal void Observe(in OpenAIChatPayload payload)
    {
        _model = payload.Model ?? _model;
        _id = payload.Id ?? _id;
        _serviceTier = payload.ServiceTier ?? _serviceTier;
        if (payload.HasUsage)
        {
            _meters = payload.Meters;
        }
    }
}
