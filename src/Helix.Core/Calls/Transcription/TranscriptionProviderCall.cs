using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Calls.Transcription;

/// <summary>A transcription call: audio in, a neutral transcript out.</summary>
/// <remarks>
/// <para>
/// The worst case is audio seconds × channels: the duration Helix read from the file's header (WAV, MP3) when known,
/// else the size at the thinnest speech bitrate (<see cref="AudioRates.MinBytesPerSecond"/>: a 1 MB file of unknown
/// format is reserved as 2,000 s), multiplied by the channels (a provider that transcribes each channel bills each).
/// A model priced per audio token (and per output token) gets those meters from the same seconds instead, at
/// <see cref="AudioRates.MaxAudioTokensPerSecond"/> and <see cref="AudioRates.MaxTranscriptTokensPerSecond"/>.
/// </para>
/// <para>One instance per call; not thread-safe.</para>
/// </remarks>
public sealed class TranscriptionProviderCall : IProviderCall
{
    /// <summary>Wraps <paramref name="input"/>.</summary>
    public TranscriptionProviderCall(TranscriptionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Input = input;
    }

    /// <summary>The audio and options.</summary>
    public TranscriptionInput Input { get; }

    /// <summary>The transcript of the serving attempt.</summary>
    public Transcript? Transcript { get; private set; }

    /// <summary>The seconds the worst case bills: header duration, else size at the thinnest bitrate, times channels.</summary>
    public decimal WorstCaseSeconds =>
        (Input.DurationSeconds ?? Math.Ceiling(Input.Audio.Length / AudioRates.MinBytesPerSecond)) * Math.Max(1, Input.Channels);

    /// <inheritdoc/>
    public Modality Modality => Modality.Transcription;

    /// <inheritdoc/>
    public bool Streamed => false;

    /// <inheritdoc/>
    public string? ServiceTier => null;

    /// <inheritdoc/>
    public bool IsServedBy(ProviderRegistry providers, ModelConfig target)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        return providers.TryGetTranscription(target.Provider, out _);
    }

    /// <inheritdoc/>
    public UsageMeters WorstCase(ModelConfig target, RouteConfig route, PriceEntry? price)
    {
        var seconds = WorstCaseSeconds;
        var rates = price?.Rates;
        if (rates is null || rates.AudioPerMinute is not null || rates.InputAudio is null)
        {
            return new UsageMeters { AudioSeconds = seconds };
        }

        return new UsageMeters
        {
            InputAudioTokens = (long)Math.Ceiling(seconds * AudioRates.MaxAudioTokensPerSecond),
            OutputTokens = rates.Output is null ? 0 : (long)Math.Ceiling(seconds * AudioRates.MaxTranscriptTokensPerSecond),
        };
    }

    /// <inheritdoc/>
    public UsageMeters EstimateUsage(Attempt attempt, out string reason)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        reason = $"usage unknown: {attempt.BillingReason ?? "the answer carried no usage"}; estimated at the worst case (the audio's seconds)";
        return attempt.Estimate;
    }

    /// <inheritdoc/>
    public async Task<ProviderResult<IMeteredResponse>> InvokeAsync(
        ProviderRegistry providers, ModelConfig target, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (!providers.TryGetTranscription(target.Provider, out var provider))
        {
            return new ProviderError(ProviderErrorKind.InvalidRequest, $"No transcription provider '{target.Provider}' is configured.");
        }

        var call = new TranscriptionCall
        {
            Model = target,
            Audio = Input.Audio,
            FileName = Input.FileName,
            ContentType = Input.ContentType,
            DurationSeconds = Input.DurationSeconds,
            Language = Input.Language,
            Prompt = Input.Prompt,
            Temperature = Input.Temperature,
            Multichannel = Input.Multichannel,
            RequestId = context.RequestId,
        };
        var result = await provider.TranscribeAsync(call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        Transcript = result.Value;
        return ProviderResult<IMeteredResponse>.Success(new CompleteAnswer(result.Value.Usage));
    }
}
