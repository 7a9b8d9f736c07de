using Helix.Core.Providers;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Conformance;

/// <summary>What every speech adapter does against its simulated provider: audio streamed as it arrives, characters and seconds metered, faults, a cut, timeout, cancellation.</summary>
public abstract class SpeechConformance : ConformanceSuite
{
    // 150 characters: 10 seconds of speech in the simulator at speed 1.
    protected static readonly string Input = string.Concat(Enumerable.Repeat("Helix speaks. ", 10)) + "That is it";

    protected abstract ISpeechProvider Create(HttpClient http, ProviderEndpoint endpoint);

    /// <summary>The voice the suite asks for.</summary>
    protected abstract string Voice { get; }

    protected SpeechCall Call(string format = "mp3", double speed = 1.0) => new()
    {
        Model = Model,
        Input = Input,
        Voice = Voice,
        ResponseFormat = format,
        Speed = speed,
        RequestId = "req_conformance",
    };

    protected static async Task<byte[]> DrainAsync(ISpeechStream stream, CancellationToken cancellationToken)
    {
        using var audio = new MemoryStream();
        await foreach (var chunk in stream.ReadAsync(cancellationToken))
        {
            audio.Write(chunk.Span);
        }

        return audio.ToArray();
    }

    [Theory]
    [InlineData("mp3", "audio/mpeg", 1.0)]
    [InlineData("wav", "audio/wav", 1.0)]
    [InlineData("mp3", "audio/mpeg", 2.0)]
    public async Task SynthesizeAsync_Format_StreamsPlayableAudioWhoseSecondsAreMetered(string format, string contentType, double speed)
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(Call(format, speed), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        Assert.Equal(contentType, stream.ContentType);
        var audio = await DrainAsync(stream, Ct);
        Assert.Null(stream.Error);
        if (format == "wav")
        {
            Assert.True(audio.AsSpan(0, 4).SequenceEqual("RIFF"u8));
        }
        else
        {
            Assert.Equal(0xFF, audio[0]);
        }

        var usage = stream.Usage;
        Assert.True(usage.IsKnown);
        Assert.Equal(Input.Length, usage.Meters.Characters);
        var expected = 10m / (decimal)speed;
        Assert.InRange(usage.Meters.AudioSeconds, expected - 0.1m, expected + 0.1m);
        var billed = Assert.Single(State.Ledger);
        Assert.Equal(Input.Length, billed.Characters);
        Assert.InRange((decimal)billed.AudioSeconds, usage.Meters.AudioSeconds - 0.05m, usage.Meters.AudioSeconds + 0.05m);
    }

    [Theory]
    [MemberData(nameof(AnswerFaults))]
    public async Task SynthesizeAsync_FaultBeforeTheAudio_FailsTheCallSoItCanFallBack(SimulatorFault fault, ProviderErrorKind kind)
    {
        Fail(fault);
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(Call(), Ct);

        Assert.False(result.IsSuccess);
        AssertFault(result.Error, fault, kind);
    }

    [Fact]
    public async Task SynthesizeAsync_CutMidAudio_EndsWithANetworkErrorAfterTheFirstBytes()
    {
        Fail(SimulatorFault.CutStream);
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(Call(), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        var audio = await DrainAsync(stream, Ct);
        Assert.NotEmpty(audio);
        Assert.Equal(ProviderErrorKind.Network, stream.Error?.Kind);
        Assert.Equal(Input.Length, stream.Usage.Meters.Characters);
        Assert.InRange(stream.Usage.Meters.AudioSeconds, 0m, 9.9m);
    }

    [Fact]
    public async Task SynthesizeAsync_NoAnswerWithinTheClientTimeout_IsATimeout()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client(TimeSpan.FromMilliseconds(300));
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(Call(), Ct);

        Assert.Equal(ProviderErrorKind.Timeout, result.Error?.Kind);
    }

    [Fact]
    public async Task SynthesizeAsync_CancelledByTheCaller_Throws()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client();
        var provider = Create(http, Endpoint);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.SynthesizeAsync(Call(), cancel.Token));
    }

    /// <summary>The faults that answer before any audio (a malformed answer to a speech request is audio that cannot be checked, so it is not here).</summary>
    public static TheoryData<SimulatorFault, ProviderErrorKind> AnswerFaults => new()
    {
        { SimulatorFault.RateLimited, ProviderErrorKind.RateLimited },
        { SimulatorFault.ServerError, ProviderErrorKind.ServerError },
        { SimulatorFault.Overloaded, ProviderErrorKind.ServerError },
        { SimulatorFault.Unauthorized, ProviderErrorKind.Unauthorized },
        { SimulatorFault.InsufficientQuota, ProviderErrorKind.QuotaExhausted },
    };
}
