using Helix.Core.Calls.Speech;
using Helix.Core.Routing;
using Xunit;

namespace Helix.Core.Tests.Calls.Speech;

public sealed class SpeechVoicesTests
{
    private static ModelConfig Model(string provider, string providerModel) => new()
    {
        Id = ModelConfig.IdOf(provider, providerModel),
        Provider = provider,
        ProviderModel = providerModel,
        Modality = Modality.Speech,
    };

    [Theory]
    [InlineData("tts-1", "alloy", true)]
    [InlineData("tts-1", "shimmer", true)]
    [InlineData("tts-1", "ballad", false)]
    [InlineData("tts-1-hd", "sage", true)]
    [InlineData("gpt-4o-mini-tts", "ballad", true)]
    [InlineData("gpt-4o-mini-tts", "marin", true)]
    [InlineData("gpt-4o-mini-tts", "Alloy", false)]
    [InlineData("gpt-4o-mini-tts", "en-US-AriaNeural", false)]
    [InlineData("a-future-tts", "anything", true)]
    public void CanSpeak_OpenAIModels_KnowTheirDocumentedVoices(string model, string voice, bool expected)
    {
        Assert.Equal(expected, SpeechVoices.CanSpeak(Model("openai", model), voice));
    }

    [Theory]
    [InlineData("alloy", true)]
    [InlineData("cedar", true)]
    [InlineData("en-US-AriaNeural", true)]
    [InlineData("de-DE-KatjaNeural", true)]
    [InlineData("en-US-AvaMultilingualNeural", true)]
    [InlineData("zh-CN-liaoning-XiaobeiNeural", true)]
    [InlineData("en-US-Aria", false)]
    [InlineData("darth", false)]
    [InlineData("en-US-Aria Neural", false)]
    public void CanSpeak_EdgeTts_KnowsNeuralVoiceNamesAndOpenAINames(string voice, bool expected)
    {
        Assert.Equal(expected, SpeechVoices.CanSpeak(Model("edge-tts", "en-US-AriaNeural"), voice));
    }

    [Fact]
    public void EveryCanSpeak_TheSeededRoute_IsWhatTts1Speaks()
    {
        ModelConfig[] route = [Model("edge-tts", "en-US-AriaNeural"), Model("openai", "tts-1")];

        Assert.True(SpeechVoices.EveryCanSpeak(route, "alloy"));
        Assert.False(SpeechVoices.EveryCanSpeak(route, "de-DE-KatjaNeural"));
        Assert.False(SpeechVoices.EveryCanSpeak(route, "ballad"));
        Assert.Equal(["alloy", "ash", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"], SpeechVoices.Describe(route));
    }

    [Fact]
    public void Describe_EdgeOnlyRoute_AlsoNamesEdgeVoices()
    {
        var described = SpeechVoices.Describe([Model("edge-tts", "en-US-AriaNeural")]);

        Assert.Contains("ballad", described);
        Assert.Contains(described, d => d.Contains("Edge neural voice", StringComparison.Ordinal));
    }
}
