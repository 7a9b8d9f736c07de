namespace Helix.Core.Providers;

/// <summary>One timed piece of a transcript.</summary>
/// <param name="Start">Seconds from the start of the audio.</param>
/// <param name="End">Seconds from the start of the audio.</param>
/// <param name="Text">What was said.</param>
public readonly record struct TranscriptSegment(decimal Start, decimal End, string Text);
