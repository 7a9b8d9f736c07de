using Helix.Core.Metering;

namespace Helix.Core.Providers;

/// <summary>A provider's transcription, in neutral form: the edge renders it as json, text, verbose_json, srt or vtt.</summary>
/// <param name="Text">The whole transcript.</param>
/// <param name="Language">The language detected or given, when known.</param>
/// <param name="DurationSeconds">The audio's duration as the provider measured it, when reported.</param>
/// <param name="Segments">Timed segments (may be empty when the provider gives none).</param>
/// <param name="Usage">The usage the provider reported: audio seconds × billed channels, or audio tokens.</param>
public sealed record Transcript(
    string Text,
    string? Language,
    decimal? DurationSeconds,
    IReadOnlyList<TranscriptSegment> Segments,
    UsageReport Usage);
