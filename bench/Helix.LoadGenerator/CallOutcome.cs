namespace Helix.LoadGenerator;

/// <summary>One call as the caller saw it: whether it succeeded whole, and when its first and last body bytes came.</summary>
/// <param name="Ok">A 2xx answer read to its end (a stream ending in <c>data: [DONE]</c>).</param>
/// <param name="FirstByteTimestamp">The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the first body byte.</param>
/// <param name="LastByteTimestamp">The timestamp of the end of the body.</param>
internal readonly record struct CallOutcome(bool Ok, long FirstByteTimestamp, long LastByteTimestamp);
