using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Calls.Speech;

/// <summary>A speech call: text in, audio streamed out as it arrives; the attempt ends with the audio.</summary>
/// <remarks>
/// <para>
/// The worst case bills what the model's price bills: the input's characters; audio seconds from the characters at
/// a slow speaking rate (<see cref="AudioRates.MinCharactersPerSecond"/>, divided by the requested speed) for a
/// model priced per second; for a model priced per token, the input's text tokens and that many seconds of audio
/// tokens. With no price, characters and seconds.
/// </para>
/// <para>One instance per call; not thread-safe.</para>
/// </remarks>
public sealed class SpeechProviderCall : IProviderCall
{
    /// <summary>Wraps <paramref name="input"/>.</summary>
    public SpeechProviderCall(SpeechInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Input = input;
    }

    /// <summary>The text and options.</summary>
    public SpeechInput Input { get; }

    /// <summary>The serving attempt's audio stream.</summary>
    public ISpeechStream? Stream { get; private set; }

    /// <summary>The most seconds the input can take to say.</summary>
    public decimal WorstCaseSeconds =>
        Math.Ceiling(Input.Input.Length / (AudioRates.MinCharactersPerSecond * (decimal)Math.Clamp(Input.Speed, 0.25, 4.0)));

    /// <inheritdoc/>
    public Modality Modality => Modality.Speech;

    /// <inheritdoc/>
    public bool Streamed => true;

    /// <inheritdoc/>
    public string? ServiceTier => null;

    /// <inheritdoc/>
    public bool IsServedBy(ProviderRegistry providers, ModelConfig target)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        return providers.TryGetSpeech(target.Provider, out _);
    }

    /// <inheritdoc/>
    public UsageMeters WorstCase(ModelConfig target, RouteConfig route, PriceEntry? price)
    {
        var rates = price?.Rates;
        var seconds = WorstCaseSeconds;
        if (rates is null)
        {
            return new UsageMeters { Characters = Input.Input.Length, AudioSeconds = seconds };
        }

        return new UsageMeters
        {
            Characters = rates.CharactersPerMillion is null ? 0 : Input.Input.Length,
            AudioSeconds = rates.AudioPerMinute is null ? 0 : seconds,
            InputTokens = rates.Input is null ? 0 : TokenCounter.Count(Input.Input) + TokenCounter.Count(Input.Instructions),
            OutputAudioTokens = rates.OutputAudio is null ? 0 : (long)Math.Ceiling(seconds * AudioRates.MaxAudioTokensPerSecond),
        };
    }

    /// <inheritdoc/>
    public UsageMeters EstimateUsage(Attempt attempt, out string reason)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        reason = $"usage unknown: {attempt.BillingReason ?? "the audio ended without usage"}; estimated at the worst case (the input's characters)";
        return attempt.Estimate;
    }

    /// <inheritdoc/>
    public async Task<ProviderResult<IMeteredResponse>> InvokeAsync(
        ProviderRegistry providers, ModelConfig target, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (!providers.TryGetSpeech(target.Provider, out var provider))
        {
            return new ProviderError(ProviderErrorKind.InvalidRequest, $"No speech provider '{target.Provider}' is configured.");
        }

        var call = new SpeechCall
        {
            Model = target,
            Input = Input.Input,
            Voice = Input.Voice,
            ResponseFormat = Input.ResponseFormat,
            Speed = Input.Speed,
            Instructions = Input.Instructions,
            RequestId = context.RequestId,
        };
        var result = await provider.SynthesizeAsync(call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        Stream = result.Value;
        return ProviderResult<IMeteredResponse>.Success(new Metered(result.Value));
    }

    private sealed class Metered(ISpeechStream stream) : IMeteredResponse
    {
        public UsageReport Usage => stream.Usage;

        public bool IsStream => true;
    }
}
