using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.OpenAI;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAIUsageTests
{
    [Fact]
    public void ParseChatCompletion_CachedPrompt_SplitsCachedOutOfPrompt()
    {
        var report = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("openai", "chat-completion.json"));

        Assert.True(report.IsKnown);
        Assert.Equal(new UsageMeters { InputTokens = 86, CacheReadTokens = 1920, OutputTokens = 300 }, report.Meters);
        Assert.Equal("gpt-4o-mini-2024-07-18", report.ReportedModel);
        Assert.Null(report.ServiceTier);
        Assert.Equal("chatcmpl-rec001", report.ProviderRequestId);
        Assert.Equal(2006, report.Meters.PromptTokens);
        Assert.Equal(300, report.Meters.CompletionTokens);
    }

    [Fact]
    public void ParseChatCompletion_ReasoningTokens_AreASubsetOfCompletion()
    {
        var report = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("openai", "chat-completion-reasoning.json"));

        Assert.Equal(new UsageMeters { InputTokens = 1200, OutputTokens = 360, ReasoningTokens = 640 }, report.Meters);
        Assert.Equal("flex", report.ServiceTier);
        Assert.Equal(1000, report.Meters.CompletionTokens);
    }

    [Fact]
    public void ParseChatCompletion_AudioTokens_AreSplitFromPromptAndCompletion()
    {
        var report = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("openai", "chat-completion-audio.json"));

        Assert.Equal(
            new UsageMeters { InputTokens = 136, CacheReadTokens = 64, InputAudioTokens = 300, OutputTokens = 100, OutputAudioTokens = 700 },
            report.Meters);
        Assert.Null(report.ServiceTier);
        Assert.Equal(500, report.Meters.PromptTokens);
        Assert.Equal(800, report.Meters.CompletionTokens);
    }

    [Fact]
    public void ParseChatCompletion_DeepSeekCacheHitAndMiss_PriceHitsAndMisses()
    {
        var report = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("deepseek", "chat-completion.json"));

        Assert.Equal(new UsageMeters { InputTokens = 2000, CacheReadTokens = 8000, OutputTokens = 380, ReasoningTokens = 620 }, report.Meters);
        Assert.Equal("deepseek-v4-flash", report.ReportedModel);
        Assert.Equal("b7c1e2a4-5d6f-4a8b-9c0d-1e2f3a4b5c6d", report.ProviderRequestId);
    }

    [Fact]
    public void ParseChatCompletion_DeepSeekV4FlashCase21_MetersHitsAndMisses()
    {
        var report = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("deepseek", "chat-completion-v4-flash.json"));

        Assert.Equal(new UsageMeters { InputTokens = 180, CacheReadTokens = 99820, OutputTokens = 500 }, report.Meters);
    }

    [Fact]
    public void ParseChatCompletion_DeepSeekHitsDisagreeWithCachedTokens_HitsWin()
    {
        var body = """{"usage":{"prompt_tokens":100,"completion_tokens":1,"prompt_cache_hit_tokens":70,"prompt_cache_miss_tokens":30,"prompt_tokens_details":{"cached_tokens":10}}}"""u8;

        var report = OpenAIUsage.ParseChatCompletion(body);

        Assert.Equal(new UsageMeters { InputTokens = 30, CacheReadTokens = 70, OutputTokens = 1 }, report.Meters);
    }

    [Fact]
    public void ParseChatCompletion_OnlyCacheMissTokens_CachedIsTheRest()
    {
        var report = OpenAIUsage.ParseChatCompletion("""{"usage":{"prompt_tokens":100,"completion_tokens":0,"prompt_cache_miss_tokens":40}}"""u8);

        Assert.Equal(new UsageMeters { InputTokens = 40, CacheReadTokens = 60 }, report.Meters);
    }

    [Fact]
    public void ParseChatCompletion_HitAndMissWithoutPromptTokens_PromptIsTheirSum()
    {
        var report = OpenAIUsage.ParseChatCompletion("""{"usage":{"completion_tokens":5,"prompt_cache_hit_tokens":7,"prompt_cache_miss_tokens":3}}"""u8);

        Assert.Equal(new UsageMeters { InputTokens = 3, CacheReadTokens = 7, OutputTokens = 5 }, report.Meters);
    }

    [Fact]
    public void ParseChatCompletion_CachedAudioTokens_GoToTheAudioCacheMeter()
    {
        var body = """{"usage":{"prompt_tokens":1000,"completion_tokens":10,"prompt_tokens_details":{"cached_tokens":600,"audio_tokens":500,"cached_tokens_details":{"text_tokens":400,"audio_tokens":200}}}}"""u8;

        var report = OpenAIUsage.ParseChatCompletion(body);

        Assert.Equal(
            new UsageMeters { InputTokens = 100, CacheReadTokens = 400, InputAudioTokens = 300, CacheReadAudioTokens = 200, OutputTokens = 10 },
            report.Meters);
        Assert.Equal(1000, report.Meters.PromptTokens);
    }

    [Fact]
    public void ParseChatCompletion_SubsetsLargerThanTotals_AreClampedSoNoMeterIsNegative()
    {
        var body = """{"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":50,"audio_tokens":30},"completion_tokens_details":{"reasoning_tokens":9,"audio_tokens":9}}}"""u8;

        var report = OpenAIUsage.ParseChatCompletion(body);

        Assert.Equal(new UsageMeters { CacheReadTokens = 10, ReasoningTokens = 5 }, report.Meters);
    }

    [Fact]
    public void ParseChatCompletion_NoUsage_IsUnknownWithModelAndId()
    {
        var report = OpenAIUsage.ParseChatCompletion("""{"id":"chatcmpl-x","model":"gpt-4o","choices":[]}"""u8);

        Assert.False(report.IsKnown);
        Assert.True(report.Meters.IsEmpty);
        Assert.Equal("gpt-4o", report.ReportedModel);
        Assert.Equal("chatcmpl-x", report.ProviderRequestId);
    }

    [Fact]
    public void ParseChatCompletion_NullUsage_IsUnknown()
    {
        Assert.False(OpenAIUsage.ParseChatCompletion("""{"usage":null}"""u8).IsKnown);
    }

    [Theory]
    [InlineData("\"priority\"", "priority")]
    [InlineData("\"default\"", null)]
    [InlineData("\"auto\"", null)]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public void ParseChatCompletion_ServiceTier_DefaultAndAutoReadAsNone(string tier, string? expected)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"service_tier":{{{tier}}},"usage":{"prompt_tokens":1,"completion_tokens":1}}""");

        Assert.Equal(expected, OpenAIUsage.ParseChatCompletion(body).ServiceTier);
    }

    [Fact]
    public void ParseChatCompletion_OddCounts_ReadLeniently()
    {
        var body = """{"usage":{"prompt_tokens":12.0,"completion_tokens":"3","total_tokens":-1,"prompt_tokens_details":{"text_tokens":12,"cached_tokens_details":{"text_tokens":0}},"completion_tokens_details":[1],"extra":{"nested":[1,{"a":2}]},"prompt_cache_hit_tokens":null,"audio":{"x":1}}}"""u8;

        var report = OpenAIUsage.ParseChatCompletion(body);

        Assert.Equal(new UsageMeters { InputTokens = 12, OutputTokens = 3 }, report.Meters);
    }

    [Fact]
    public void ParseChatCompletion_ByteOrderMarkAndComments_AreAccepted()
    {
        var body = Encoding.UTF8.GetPreamble().Concat("""/* saved */ {"usage":{"prompt_tokens":4,"completion_tokens":2}}"""u8.ToArray()).ToArray();

        Assert.Equal(new UsageMeters { InputTokens = 4, OutputTokens = 2 }, OpenAIUsage.ParseChatCompletion(body).Meters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"usage\":{\"prompt_tokens\":")]
    [InlineData("<html>502 Bad Gateway</html>")]
    public void ParseChatCompletion_NotAJsonObject_Throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => OpenAIUsage.ParseChatCompletion(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void ParseEmbeddings_PromptTokens_AreInput()
    {
        var report = OpenAIUsage.ParseEmbeddings(Recorded.Bytes("openai", "embeddings.json"));

        Assert.Equal(new UsageReport(new UsageMeters { InputTokens = 8000 }, true, "text-embedding-3-small"), report);
    }

    [Fact]
    public void ParseEmbeddings_OnlyTotalTokens_CountsThemAsInput()
    {
        var report = OpenAIUsage.ParseEmbeddings("""{"model":"e","data":[],"usage":{"total_tokens":77}}"""u8);

        Assert.Equal(77, report.Meters.InputTokens);
    }

    [Fact]
    public void ParseEmbeddings_UnknownUsageFields_AreSkipped()
    {
        var report = OpenAIUsage.ParseEmbeddings("""{"usage":{"prompt_tokens":5,"prompt_tokens_details":{"image_tokens":1}}}"""u8);

        Assert.Equal(new UsageMeters { InputTokens = 5 }, report.Meters);
    }

    [Fact]
    public void ParseEmbeddings_NoUsage_IsUnknown()
    {
        var report = OpenAIUsage.ParseEmbeddings("""{"model":"e","data":[],"usage":"none"}"""u8);

        Assert.False(report.IsKnown);
        Assert.Equal("e", report.ReportedModel);
    }

    [Fact]
    public void ParseEmbeddings_NotAnObject_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => OpenAIUsage.ParseEmbeddings("[]"u8));
    }

    [Fact]
    public void ParseTranscription_TokenUsage_SplitsAudioAndTextInput()
    {
        var report = OpenAIUsage.ParseTranscription(Recorded.Bytes("openai", "transcription-tokens.json"));

        Assert.True(report.IsKnown);
        Assert.Equal(new UsageMeters { InputTokens = 20, InputAudioTokens = 1480, OutputTokens = 300 }, report.Meters);
    }

    [Fact]
    public void ParseTranscription_TokenUsageWithoutDetails_CountsInputAsAudio()
    {
        var report = OpenAIUsage.ParseTranscription("""{"text":"hi","usage":{"type":"tokens","input_tokens":90,"output_tokens":4}}"""u8);

        Assert.Equal(new UsageMeters { InputAudioTokens = 90, OutputTokens = 4 }, report.Meters);
    }

    [Fact]
    public void ParseTranscription_DurationUsage_IsAudioSeconds()
    {
        var report = OpenAIUsage.ParseTranscription(Recorded.Bytes("openai", "transcription-duration.json"));

        Assert.Equal(new UsageMeters { AudioSeconds = 84m }, report.Meters);
        Assert.True(report.IsKnown);
    }

    [Fact]
    public void ParseTranscription_SecondsWithoutType_IsAudioSeconds()
    {
        var report = OpenAIUsage.ParseTranscription("""{"usage":{"seconds":8.5}}"""u8);

        Assert.Equal(8.5m, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseTranscription_VerboseJsonWithoutUsage_FallsBackToDuration()
    {
        var report = OpenAIUsage.ParseTranscription(Recorded.Bytes("openai", "transcription-verbose.json"));

        Assert.True(report.IsKnown);
        Assert.Equal(new UsageMeters { AudioSeconds = 83.4m }, report.Meters);
    }

    [Fact]
    public void ParseTranscription_ModelInTheBody_IsReported()
    {
        var report = OpenAIUsage.ParseTranscription("""{"model":"gpt-4o-mini-transcribe","usage":{"type":"tokens","input_tokens":10,"input_token_details":{"text_tokens":2,"audio_tokens":8,"cached_tokens":0},"output_tokens":3,"total_tokens":13}}"""u8);

        Assert.Equal("gpt-4o-mini-transcribe", report.ReportedModel);
        Assert.Equal(new UsageMeters { InputTokens = 2, InputAudioTokens = 8, OutputTokens = 3 }, report.Meters);
    }

    [Fact]
    public void ParseTranscription_UsageWinsOverDuration()
    {
        var report = OpenAIUsage.ParseTranscription("""{"duration":83.4,"usage":{"type":"duration","seconds":84}}"""u8);

        Assert.Equal(84m, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseTranscription_StreamDoneEvent_CarriesUsage()
    {
        var done = Recorded.Text("openai", "transcription-stream.sse").Split('\n')
            .Single(line => line.Contains("transcript.text.done", StringComparison.Ordinal))["data: ".Length..];

        var report = OpenAIUsage.ParseTranscription(Encoding.UTF8.GetBytes(done));

        Assert.Equal(new UsageMeters { InputAudioTokens = 900, OutputTokens = 12 }, report.Meters);
    }

    [Theory]
    [InlineData("""{"text":"hello"}""")]
    [InlineData("""{"text":"hello","usage":{"type":"tokens"}}""")]
    [InlineData("""{"text":"hello","usage":[]}""")]
    public void ParseTranscription_NoUsageNoDuration_IsUnknown(string body)
    {
        Assert.False(OpenAIUsage.ParseTranscription(Encoding.UTF8.GetBytes(body)).IsKnown);
    }

    [Fact]
    public void ParseTranscription_PlainText_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => OpenAIUsage.ParseTranscription("Hello and welcome."u8));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("hello", 5)]
    [InlineData("héllo wörld", 11)]
    [InlineData("日本語", 3)]
    [InlineData("👋🏽 hi", 5)]
    public void SpeechUsage_Input_CountsCodePoints(string input, long expected)
    {
        var report = OpenAIUsage.SpeechUsage(input);

        Assert.True(report.IsKnown);
        Assert.Equal(new UsageMeters { Characters = expected }, report.Meters);
    }

    [Fact]
    public void SpeechUsage_1234Characters_Case24()
    {
        Assert.Equal(1234, OpenAIUsage.SpeechUsage(new string('a', 1234)).Meters.Characters);
    }

    [Fact]
    public void SpeechUsage_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => OpenAIUsage.SpeechUsage(null!));
    }
}
