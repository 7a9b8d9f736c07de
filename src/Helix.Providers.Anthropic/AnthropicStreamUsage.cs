using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>Collects the usage of an Anthropic Messages stream, event by event.</summary>
/// <remarks>
/// Input and cache counts come from <c>message_start</c>; <c>output_tokens</c> from the <b>last</b>
/// <c>message_delta</c>, which is cumulative (never summed, and never <c>message_start</c>'s provisional count). Counts a
/// <c>message_delta</c> repeats win over <c>message_start</c>'s. The usage is known once a <c>message_delta</c> with
/// usage arrived; a stream cut before it reports <see cref="UsageReport.IsKnown"/> false. An <c>error</c> event
/// sets <see cref="HasError"/>. Not thread-safe: one instance per stream.
/// </remarks>
public sealed class AnthropicStreamUsage
{
    private AnthropicUsageFields _usage;
    private string? _id;
    private string? _model;
    private bool _started;
    private bool _delta;

    /// <summary>Whether the stream carried an <c>error</c> event.</summary>
    public bool HasError { get; private set; }

    /// <summary>The usage: known once <c>message_start</c> and a <c>message_delta</c> with usage arrived.</summary>
    public UsageReport Report => _started && _delta
        ? new UsageReport(_usage.ToMeters(), IsKnown: true, _model, AnthropicUsageFields.TierOf(_usage.ServiceTier), _id)
        : UsageReport.Unknown(_model, _id);

    /// <summary>Reads one event.</summary>
    /// <param name="eventType">The SSE <c>event:</c> name; when empty or <c>message</c>, the payload's <c>type</c> decides.</param>
    /// <param name="data">The payload of the event's <c>data:</c> line.</param>
    /// <remarks>A payload that is not a JSON object, as the torn last line of a cut stream, is ignored.</remarks>
    public void Observe(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            ObserveJson(eventType, data);
        }
        catch (JsonException)
        {
            // A torn event carries nothing that can be trusted.
        }
    }

    /// <summary>Reads the usage of a saved Messages stream transcript (<c>event:</c> and <c>data:</c> lines).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="transcript"/> is <see langword="null"/>.</exception>
    public static UsageReport ParseSseTranscript(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var usage = new AnthropicStreamUsage();
        SseTranscript.ForEachData(transcript, usage, static (u, type, data) => u.Observe(type, data));
        return usage.Report;
    }

    private void ObserveJson(string? eventType, ReadOnlySpan<byte> data)
    {
        var named = string.IsNullOrEmpty(eventType) || eventType == SseTranscript.DefaultEventType ? null : eventType;
        if (named is "error")
        {
            HasError = true;
            return;
        }

        var reader = JsonScalars.Start(data);
        if (!JsonScalars.StartObject(ref reader))
        {
            return;
        }

        string? type = null;
        AnthropicUsageFields? usage = null;
        (string? Id, string? Model, AnthropicUsageFields? Usage)? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                type = JsonScalars.ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    message = AnthropicUsage.ReadMessage(ref reader);
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (JsonScalars.TryEnter(ref reader, JsonTokenType.StartObject))
                {
                    usage = AnthropicUsageFields.Read(ref reader);
                }
            }
            else
            {
                JsonScalars.SkipValue(ref reader);
            }
        }

        switch (named ?? type)
        {
            case "message_start" when message is { } start:
                _started = true;
                _id = start.Id ?? _id;
                _model = start.Model ?? _model;
                if (start.Usage is { } initial)
                {
                    _usage.MergeFrom(initial);
                }

                break;
            case "message_delta" when usage is { } cumulative:
                _delta = true;
                _usage.MergeFrom(cumulative);
                break;
            case "error":
                HasError = true;
                break;
        }
    }
}
