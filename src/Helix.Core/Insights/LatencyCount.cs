namespace Helix.Core.Insights;

/// <summary>How many successful attempts on a model in one hour fell in one latency bucket.</summary>
/// <param name="Hour">The hour's start (UTC).</param>
/// <param name="Model">The model (catalog id).</param>
/// <param name="Bucket">The bucket's index in <see cref="LatencyHistogram.UpperBoundsMs"/>.</param>
/// <param name="Count">The attempts.</param>
public sealed record LatencyCount(DateTimeOffset Hour, string Model, int Bucket, long Count);
