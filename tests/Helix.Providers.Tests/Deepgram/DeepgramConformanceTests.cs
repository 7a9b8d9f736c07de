using Helix.Core.Providers;
using Helix.Providers.Deepgram;
using Helix.Providers.Tests.Conformance;
using Helix.Providers.Tests.Simulator;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Deepgram;

public sealed class DeepgramConformanceTests : TranscriptionConformance
{
    protected override string SimulatedProvider => SimulatorProviders.Deepgram;

    protected override string ProviderModel => "nova-3";

    protected override ITranscriptionProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new DeepgramTranscriptionProvider(http, endpoint);

    // Deepgram bills the audio's exact duration, once per channel transcribed.
    protected override void AssertUsage(Transcript transcript, SimulatorLedgerEntry billed)
    {
        Assert.Equal(3.5m, transcript.Usage.Meters.AudioSeconds);
        Assert.Equal((decimal)billed.AudioSeconds, transcript.Usage.Meters.AudioSeconds);
        Assert.Equal("nova-3", transcript.Usage.ReportedModel);
        Assert.NotNull(transcript.Usage.ProviderRequestId);
        Assert.Equal("en", transcript.Language);
        Assert.Single(transcript.Segments);
    }

    [Fact]
    public async Task TranscribeAsync_StereoMultichannel_TranscribesAndBillsEachChannel()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.TranscribeAsync(Call(TestAudio.Wav(2.25, channels: 2), multichannel: true), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(4.5m, result.Value.Usage.Meters.AudioSeconds);
        Assert.Equal(2, result.Value.Text.Split('\n').Length);
        Assert.Equal(2, result.Value.Segments.Count);
        Assert.Equal(4.5, Assert.Single(State.Ledger).AudioSeconds);
    }

    [Fact]
    public async Task TranscribeAsync_NoLanguage_AsksDeepgramToDetectIt()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var call = Call();

        var result = await provider.TranscribeAsync(new TranscriptionCall
        {
            Model = call.Model,
            Audio = call.Audio,
            ContentType = call.ContentType,
        }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("en", result.Value.Language);
        Assert.Equal(3.5m, result.Value.DurationSeconds);
    }
}
