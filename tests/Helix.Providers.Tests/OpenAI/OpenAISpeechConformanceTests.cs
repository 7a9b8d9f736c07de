using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAISpeechConformanceTests : SpeechConformance
{
    protected override string SimulatedProvider => SimulatorProviders.OpenAI;

    protected override string ProviderModel => "tts-1";

    protected override string Voice => "alloy";

    protected override ISpeechProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAISpeechProvider("openai", http, endpoint);

    [Fact]
    public async Task SynthesizeAsync_TokenPricedModel_EstimatesTextAndAudioTokensFlagged()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var model = Model with { Id = "openai/gpt-4o-mini-tts", ProviderModel = "gpt-4o-mini-tts" };

        var result = await provider.SynthesizeAsync(new SpeechCall { Model = model, Input = Input, Voice = Voice, Instructions = "Calm." }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        await DrainAsync(stream, Ct);
        var usage = stream.Usage;
        Assert.False(usage.IsKnown);
        Assert.Equal((Input.Length + 6 + 3) / 4, usage.Meters.InputTokens);
        Assert.InRange(OpenAISpeechProvider.AudioTokensPerSecond, 20.83m, 20.84m);
        Assert.Equal((long)Math.Ceiling(usage.Meters.AudioSeconds * OpenAISpeechProvider.AudioTokensPerSecond), usage.Meters.OutputAudioTokens);
        Assert.True(usage.Meters.OutputAudioTokens > 200);
        Assert.Equal(Input.Length, usage.Meters.Characters);
    }
}
