namespace Helix.Core.Pricing;

/// <summary>The cost of each meter of one call, in USD, unrounded.</summary>
/// <remarks>A value type so that pricing a call allocates nothing.</remarks>
public readonly record struct CostBreakdown
{
    public decimal Input { get; init; }
    public decimal CacheRead { get; init; }
    public decimal CacheWrite5m { get; init; }
    public decimal CacheWrite1h { get; init; }
    public decimal InputAudio { get; init; }
    public decimal CacheReadAudio { get; init; }
    public decimal InputImage { get; init; }
    public decimal InputVideo { get; init; }
    public decimal ToolPrompt { get; init; }
    public decimal Output { get; init; }
    public decimal Reasoning { get; init; }
    public decimal OutputAudio { get; init; }
    public decimal Audio { get; init; }
    public decimal Characters { get; init; }
    public decimal Requests { get; init; }
    public decimal WebSearch { get; init; }
    public decimal CacheStorage { get; init; }

    /// <summary>The multiplier applied to the sum (a batch discount, say); 1 when none.</summary>
    public decimal Multiplier { get; init; }

    /// <summary>The sum of every line times <see cref="Multiplier"/>.</summary>
    public decimal Total =>
        (Input + CacheRead + CacheWrite5m + CacheWrite1h + InputAudio + CacheReadAudio + InputImage + InputVideo
        + ToolPrompt + Output + Reasoning + OutputAudio + Audio + Characters + Requests + WebSearch + CacheStorage)
        * (Multiplier == 0m ? 1m : Multiplier);

    /// <summary>The non-zero lines with their names, for display.</summary>
    public IEnumerable<KeyValuePair<string, decimal>> Lines()
    {
        foreach (var line in AllLines())
        {
            if (line.Value != 0m)
            {
                yield return line;
            }
        }
    }

    private IEnumerable<KeyValuePair<string, decimal>> AllLines()
    {
        yield return new("input", Input);
        yield return new("cacheRead", CacheRead);
        yield return new("cacheWrite5m", CacheWrite5m);
        yield return new("cacheWrite1h", CacheWrite1h);
        yield return new("inputAudio", InputAudio);
        yield return new("cacheReadAudio", CacheReadAudio);
        yield return new("inputImage", InputImage);
        yield return new("inputVideo", InputVideo);
        yield return new("toolPrompt", ToolPrompt);
        yield return new("output", Output);
        yield return new("reasoning", Reasoning);
        yield return new("outputAudio", OutputAudio);
        yield return new("audio", Audio);
        yield return new("characters", Characters);
        yield return new("requests", Requests);
        yield return new("webSearch", WebSearch);
        yield return new("cacheStorage", CacheStorage);
    }
}
