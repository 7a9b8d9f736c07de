using Helix.Core.Providers;
using Helix.Providers.Tests.Simulator;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Conformance;

/// <summary>What every transcription adapter does against its simulated provider: text, duration, usage, faults, timeout, cancellation.</summary>
public abstract class TranscriptionConformance : ConformanceSuite
{
    protected const double AudioSeconds = 3.5;

    protected abstract ITranscriptionProvider Create(HttpClient http, ProviderEndpoint endpoint);

    /// <summary>Checks the usage against what the simulator billed (seconds, or tokens).</summary>
    protected abstract void AssertUsage(Transcript transcript, SimulatorLedgerEntry billed);

    protected TranscriptionCall Call(byte[]? audio = null, bool multichannel = false) => new()
    {
        Model = Model,
        Audio = audio ?? TestAudio.Wav(AudioSeconds),
        FileName = "call.wav",
        ContentType = "audio/wav",
        DurationSeconds = (decimal)AudioSeconds,
        Language = "en",
        Multichannel = multichannel,
        RequestId = "req_conformance",
    };

    [Fact]
    public async Task TranscribeAsync_WavOfKnownLength_ReturnsTextDurationAndTheBilledUsage()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.TranscribeAsync(Call(), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var transcript = result.Value;
        Assert.False(string.IsNullOrWhiteSpace(transcript.Text));
        Assert.Equal((decimal)AudioSeconds, transcript.DurationSeconds);
        Assert.True(transcript.Usage.IsKnown);
        foreach (var segment in transcript.Segments)
        {
            Assert.InRange(segment.Start, 0m, segment.End);
            Assert.InRange(segment.End, segment.Start, (decimal)AudioSeconds);
        }

        AssertUsage(transcript, Assert.Single(State.Ledger));
    }

    [Fact]
    public async Task TranscribeAsync_Mp3_IsMeasuredFromItsFrames()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var seconds = 100 * 1152.0 / 44_100;

        var result = await provider.TranscribeAsync(new TranscriptionCall
        {
            Model = Model,
            Audio = TestAudio.Mp3(frames: 100),
            FileName = "call.mp3",
            ContentType = "audio/mpeg",
            Language = "en",
        }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.InRange(Assert.Single(State.Ledger).AudioSeconds, seconds - 0.001, Math.Ceiling(seconds));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task TranscribeAsync_Fault_MapsToItsKind(SimulatorFault fault, ProviderErrorKind kind)
    {
        Fail(fault);
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.TranscribeAsync(Call(), Ct);

        Assert.False(result.IsSuccess);
        AssertFault(result.Error, fault, kind);
    }

    [Fact]
    public async Task TranscribeAsync_NoAnswerWithinTheClientTimeout_IsATimeout()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client(TimeSpan.FromMilliseconds(300));
        var provider = Create(http, Endpoint);

        var result = await provider.TranscribeAsync(Call(), Ct);

        Assert.Equal(ProviderErrorKind.Timeout, result.Error?.Kind);
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task TranscribeAsync_CancelledByTheCaller_Throws()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client();
        var provider = Create(http, Endpoint);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.TranscribeAsync(Call(), cancel.Token));
    }
}
