using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Gemini;
using Xunit;

namespace Helix.Providers.Tests.Gemini;

public sealed class GeminiUsageTests
{
    [Fact]
    public void ParseGenerateContent_CachedTextAndAudio_SplitsByModality()
    {
        var report = GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content.json"));

        Assert.True(report.IsKnown);
        Assert.Equal(
            new UsageMeters { InputTokens = 10, CacheReadTokens = 10000, InputAudioTokens = 1920, OutputTokens = 200, ReasoningTokens = 640 },
            report.Meters);
        Assert.Equal("gemini-2.5-flash", report.ReportedModel);
        Assert.Equal("rec-gem-001", report.ProviderRequestId);
        Assert.Null(report.ServiceTier);
        Assert.Equal(11930, report.Meters.PromptTokens);
        Assert.Equal(840, report.Meters.CompletionTokens);
    }

    [Fact]
    public void ParseGenerateContent_EveryModalityWithCacheAndToolUse_SplitsEachBucket()
    {
        var report = GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content-multimodal.json"));

        Assert.Equal(
            new UsageMeters
            {
                InputTokens = 300,
                CacheReadTokens = 2100,
                InputAudioTokens = 910,
                CacheReadAudioTokens = 400,
                InputImageTokens = 2290,
                InputVideoTokens = 3000,
                ToolPromptTokens = 350,
                OutputTokens = 120,
            },
            report.Meters);
        Assert.Equal(9000, report.Meters.PromptTokens);
    }

    [Fact]
    public void ParseGenerateContent_NoDetails_EverythingIsText()
    {
        var report = GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content-plain.json"));

        Assert.Equal(new UsageMeters { InputTokens = 930, CacheReadTokens = 1000, OutputTokens = 200 }, report.Meters);
        Assert.Equal("gemini-2.5-flash-lite", report.ReportedModel);
    }

    [Fact]
    public void ParseGenerateContent_AudioCase16_AudioHasItsOwnMeter()
    {
        var body = """{"usageMetadata":{"promptTokenCount":1930,"candidatesTokenCount":200,"thoughtsTokenCount":0,"promptTokensDetails":[{"modality":"TEXT","tokenCount":10},{"modality":"AUDIO","tokenCount":1920}]}}"""u8;

        var report = GeminiUsage.ParseGenerateContent(body);

        Assert.Equal(new UsageMeters { InputTokens = 10, InputAudioTokens = 1920, OutputTokens = 200 }, report.Meters);
    }

    [Fact]
    public void ParseGenerateContent_LongContextCase13_PromptCountIsEveryInputToken()
    {
        var body = """{"usageMetadata":{"promptTokenCount":200000,"cachedContentTokenCount":150000,"candidatesTokenCount":1000,"thoughtsTokenCount":0}}"""u8;

        var report = GeminiUsage.ParseGenerateContent(body);

        Assert.Equal(200000, report.Meters.PromptTokens);
        Assert.Equal(new UsageMeters { InputTokens = 50000, CacheReadTokens = 150000, OutputTokens = 1000 }, report.Meters);
    }

    [Fact]
    public void ParseGenerateContent_DetailsCoverLessThanThePrompt_TheRestIsText()
    {
        var body = """{"usageMetadata":{"promptTokenCount":1000,"cachedContentTokenCount":300,"promptTokensDetails":[{"modality":"IMAGE","tokenCount":258}],"cacheTokensDetails":[{"modality":"IMAGE","tokenCount":100}]}}"""u8;

        var report = GeminiUsage.ParseGenerateContent(body);

        Assert.Equal(new UsageMeters { InputTokens = 542, CacheReadTokens = 300, InputImageTokens = 158 }, report.Meters);
        Assert.Equal(1000, report.Meters.PromptTokens);
    }

    [Fact]
    public void ParseGenerateContent_CacheDetailsLargerThanPromptDetails_AreClamped()
    {
        var body = """{"usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":500,"promptTokensDetails":[{"modality":"TEXT","tokenCount":60},{"modality":"AUDIO","tokenCount":40}],"cacheTokensDetails":[{"modality":"AUDIO","tokenCount":90},{"modality":"TEXT","tokenCount":410}]}}"""u8;

        var report = GeminiUsage.ParseGenerateContent(body);

        Assert.Equal(new UsageMeters { CacheReadTokens = 60, CacheReadAudioTokens = 40 }, report.Meters);
        Assert.Equal(100, report.Meters.PromptTokens);
    }

    [Fact]
    public void ParseGenerateContent_AudioCandidates_AreOutputAudio()
    {
        var body = """{"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":500,"candidatesTokensDetails":[{"modality":"AUDIO","tokenCount":480},{"modality":"TEXT","tokenCount":20}]},"modelVersion":"gemini-2.5-flash-preview-tts"}"""u8;

        var report = GeminiUsage.ParseGenerateContent(body);

        Assert.Equal(new UsageMeters { InputTokens = 12, OutputTokens = 20, OutputAudioTokens = 480 }, report.Meters);
    }

    [Fact]
    public void ParseGenerateContent_DetailsWithoutPromptCount_UseTheirSum()
    {
        var body = """{"usageMetadata":{"promptTokensDetails":[{"tokenCount":5,"modality":"TEXT"},{"modality":"VIDEO","tokenCount":7},"odd",{"modality":"MODALITY_UNSPECIFIED","tokenCount":1}],"cacheTokensDetails":null}}"""u8;

        var report = GeminiUsage.ParseGenerateContent(body);

        Assert.Equal(new UsageMeters { InputTokens = 6, InputVideoTokens = 7 }, report.Meters);
    }

    [Fact]
    public void ParseGenerateContent_BlockedPrompt_StillReportsUsage()
    {
        var report = GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content-blocked.json"));

        Assert.True(report.IsKnown);
        Assert.Equal(new UsageMeters { InputTokens = 57 }, report.Meters);
    }

    [Fact]
    public void ParseGenerateContent_NoUsageMetadata_IsUnknown()
    {
        var report = GeminiUsage.ParseGenerateContent("""{"candidates":[],"modelVersion":"gemini-2.5-pro","responseId":"r1"}"""u8);

        Assert.Equal(UsageReport.Unknown("gemini-2.5-pro", "r1"), report);
    }

    [Fact]
    public void ParseGenerateContent_ErrorWrappedInAnArray_IsUnknown()
    {
        var report = GeminiUsage.ParseGenerateContent("""[{"error":{"code":500,"message":"Internal","status":"INTERNAL"}}]"""u8);

        Assert.False(report.IsKnown);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("[1]")]
    [InlineData("{\"usageMetadata\":{\"promptTokenCount\":")]
    public void ParseGenerateContent_NotAJsonObject_Throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => GeminiUsage.ParseGenerateContent(System.Text.Encoding.UTF8.GetBytes(body)));
    }
}
