using Helix.Core.Providers;
using Helix.Providers.EdgeTts;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.EdgeTts;

public sealed class EdgeTtsConformanceTests : SpeechConformance
{
    protected override string SimulatedProvider => SimulatorProviders.EdgeTts;

    protected override string ProviderModel => "edge-tts";

    protected override string Voice => "en-US-AriaNeural";

    protected override ISpeechProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new EdgeTtsSpeechProvider(http, endpoint);

    [Fact]
    public async Task SynthesizeAsync_OpenAIVoice_IsSpokenByItsEdgeStandIn()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var call = Call();

        var result = await provider.SynthesizeAsync(new SpeechCall { Model = call.Model, Input = "Hello there.", Voice = "nova" }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        Assert.NotEmpty(await DrainAsync(stream, Ct));
        Assert.Equal("en-US-JennyNeural", Assert.Single(State.Ledger).Model);
    }

    [Fact]
    public async Task SynthesizeAsync_UnknownVoice_IsRefusedBeforeAnyConnection()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(new SpeechCall { Model = Model, Input = "Hi.", Voice = "nobody" }, Ct);

        Assert.Equal(ProviderErrorKind.InvalidRequest, result.Error?.Kind);
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task SynthesizeAsync_FormatEdgeDoesNotRender_FallsBack()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(new SpeechCall { Model = Model, Input = "Hi.", Voice = Voice, ResponseFormat = "flac" }, Ct);

        Assert.Equal(ProviderErrorKind.NotFound, result.Error?.Kind);
        Assert.True(result.Error!.AllowsFallback);
    }

    [Fact]
    public async Task SynthesizeAsync_TextOverOneTurn_IsSpokenInTurnsOnOneSocket()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var input = string.Concat(Enumerable.Repeat("Ten chars. ", 500)).Trim();

        var result = await provider.SynthesizeAsync(new SpeechCall { Model = Model, Input = input, Voice = Voice }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        await DrainAsync(stream, Ct);
        Assert.Null(stream.Error);
        Assert.Equal(input.Length, stream.Usage.Meters.Characters);
        Assert.Equal(2, State.Ledger.Count);
        var billed = (decimal)State.Ledger.Sum(e => e.AudioSeconds);
        Assert.InRange(stream.Usage.Meters.AudioSeconds, billed - 0.05m, billed + 0.05m);
    }

    [Fact]
    public async Task SynthesizeAsync_MalformedFrame_IsAMalformedResponse()
    {
        Fail(SimulatorFault.MalformedJson);
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.SynthesizeAsync(Call(), Ct);

        Assert.Equal(ProviderErrorKind.MalformedResponse, result.Error?.Kind);
    }

    [Fact]
    public void Turns_LongText_SplitsAtSpacesWithinTheByteLimitAndNeverInsideAnEntity()
    {
        var escaped = EdgeTtsProtocol.Escape(string.Concat(Enumerable.Repeat("a&b ", 2000)));

        var turns = EdgeTtsProtocol.Turns(escaped);

        Assert.True(turns.Count >= 2);
        Assert.All(turns, turn => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(turn), 1, EdgeTtsProtocol.MaxTurnBytes));
        Assert.All(turns, turn => Assert.EndsWith("a&amp;b", turn, StringComparison.Ordinal));
        Assert.Equal(escaped.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(turns).Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1.0, "+0%")]
    [InlineData(1.5, "+50%")]
    [InlineData(0.25, "-75%")]
    [InlineData(4.0, "+300%")]
    public void Rate_FromSpeed_IsAProsodyPercentage(double speed, string rate) =>
        Assert.Equal(rate, EdgeTtsProtocol.Rate(speed));

    [Fact]
    public void SecMsGec_IsTheHashOfTheFiveMinuteWindowInWindowsTicks()
    {
        // 2026-12-04T15:03:20Z is in the window starting 15:00:00Z, 13_440_870_000 s after 1601-01-01: 134408700000000000 ticks of 100 ns.
        var token = EdgeTtsProtocol.SecMsGec(new DateTimeOffset(2026, 12, 4, 15, 3, 20, TimeSpan.Zero));
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.ASCII.GetBytes("134408700000000000" + "6A5AA1D4EAFF4E9FB37E23D68491D6F4")));

        Assert.Equal(expected, token);
    }
}
