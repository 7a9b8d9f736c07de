using System.Text.Json;
using Xunit;

namespace Helix.Cli.Tests;

/// <summary>
/// <c>helix cost --json</c> on raw provider bodies written in the documented shapes, one per test case of
/// cost-pitfalls.md section B that has a provider response; streamed and not streamed give the same total.
/// </summary>
public sealed class CostCommandTests
{
    public static TheoryData<string, string, string, string?, string> PricedResponses => new()
    {
        // case, provider, model, response file (null: speech via --input-text), expected totalUsd
        { "1 gpt-4o", "openai", "gpt-4o", "openai/case01-gpt-4o.json", "0.007500000" },
        { "1 gpt-4o streamed", "openai", "gpt-4o", "openai/case01-gpt-4o.sse", "0.007500000" },
        { "3 gpt-4o-mini with cache", "openai", "gpt-4o-mini", "openai/case03-gpt-4o-mini-cached.json", "0.005700000" },
        { "3 gpt-4o-mini with cache streamed", "openai", "gpt-4o-mini", "openai/case03-gpt-4o-mini-cached.sse", "0.005700000" },
        { "4 gpt-4.1-nano tiny", "openai", "gpt-4.1-nano", "openai/case04-gpt-4.1-nano.json", "0.000002400" },
        { "4 gpt-4.1-nano tiny streamed", "openai", "gpt-4.1-nano", "openai/case04-gpt-4.1-nano.sse", "0.000002400" },
        { "13 gemini-2.5-pro at exactly 200k", "gemini", "gemini-2.5-pro", "gemini/case13-gemini-2.5-pro.json", "0.260000000" },
        { "13 gemini-2.5-pro at exactly 200k streamed", "gemini", "gemini-2.5-pro", "gemini/case13-gemini-2.5-pro.sse", "0.260000000" },
        { "16 gemini-2.5-flash audio", "gemini", "gemini-2.5-flash", "gemini/case16-gemini-2.5-flash-audio.json", "0.002423000" },
        { "16 gemini-2.5-flash audio streamed", "gemini", "gemini-2.5-flash", "gemini/case16-gemini-2.5-flash-audio.sse", "0.002423000" },
        { "21 deepseek-v4-flash", "deepseek", "deepseek-v4-flash", "deepseek/case21-deepseek-v4-flash.json", "0.000444696" },
        { "21 deepseek-v4-flash streamed", "deepseek", "deepseek-v4-flash", "deepseek/case21-deepseek-v4-flash.sse", "0.000444696" },
        { "22 whisper-1 83.4 s", "openai", "whisper-1", "openai/case22-whisper-1.json", "0.008340000" },
        { "22 whisper-1 83.4 s verbose_json", "openai", "whisper-1", "openai/case22-whisper-1-verbose.json", "0.008340000" },
        { "30 text-embedding-3-small", "openai", "text-embedding-3-small", "openai/case30-text-embedding-3-small.json", "0.000160000" },
        { "8 claude-haiku-4-5 cache read", "anthropic", "claude-haiku-4-5", "anthropic/case08-claude-haiku-4-5.json", "0.003719200" },
        { "8 claude-haiku-4-5 cache read streamed", "anthropic", "claude-haiku-4-5", "anthropic/case08-claude-haiku-4-5.sse", "0.003719200" },
        { "9 claude-opus-4-5 1-hour cache write", "anthropic", "claude-opus-4-5", "anthropic/case09-claude-opus-4-5.json", "0.242500000" },
        { "9 claude-opus-4-5 1-hour cache write streamed", "anthropic", "claude-opus-4-5", "anthropic/case09-claude-opus-4-5.sse", "0.242500000" },
        { "11 claude-opus-4-1 plain", "anthropic", "claude-opus-4-1", "anthropic/case11-claude-opus-4-1.json", "0.105000000" },
        { "11 claude-opus-4-1 plain streamed", "anthropic", "claude-opus-4-1", "anthropic/case11-claude-opus-4-1.sse", "0.105000000" },
        { "28 deepgram nova-2 streaming 10 minutes", "deepgram", "nova-2", "deepgram/case28-nova-2-streaming.jsonl", "0.058000000" },
        { "28 deepgram nova-2 streaming, metadata message alone", "deepgram", "nova-2", "deepgram/case28-nova-2-streaming-metadata.json", "0.058000000" },
        { "28 deepgram nova-2 pre-recorded 10 minutes", "deepgram", "nova-2", "deepgram/nova-2-prerecorded.json", "0.043000000" },
        { "deepgram nova-3 two result channels without --multichannel, billed per channel", "deepgram", "nova-3", "deepgram/nova-3-multichannel.json", "0.01798833333333333" },
        { "gpt-4o-transcribe audio tokens", "openai", "gpt-4o-transcribe", "openai/gpt-4o-transcribe.json", "0.011930000" },
        { "gpt-4o-transcribe audio tokens streamed", "openai", "gpt-4o-transcribe", "openai/gpt-4o-transcribe.sse", "0.011930000" },
    };

    [Theory]
    [MemberData(nameof(PricedResponses))]
    public async Task Cost_Json_PricesTheResponseExactly(string testCase, string provider, string model, string? response, string totalUsd)
    {
        var args = new List<string> { "cost", "--provider", provider, "--model", model, "--response", CliRun.File("Responses/" + response), "--json" };
        if (IsStream(response!))
        {
            args.Add("--stream");
        }

        var run = await CliRun.RunAsync([.. args]);

        Assert.True(run.ExitCode == 0, $"case {testCase}: exit {run.ExitCode}, {run.Stderr}");
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("priced", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("usageKnown").GetBoolean());
        Assert.Equal(totalUsd, root.GetProperty("totalUsd").GetString());
        Assert.Equal(provider, root.GetProperty("provider").GetString());
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("priceSource").GetString()));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", root.GetProperty("priceSourceDate").GetString()!);
        var lines = root.GetProperty("lines").EnumerateObject().Sum(l => decimal.Parse(l.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(totalUsd, System.Globalization.CultureInfo.InvariantCulture), lines);
    }

    [Fact]
    public async Task Cost_DeepgramMultichannel_BillsEveryChannel()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "deepgram", "--model", "nova-3", "--response", CliRun.File("Responses/deepgram/nova-3-multichannel.json"),
             "--multichannel", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(251m, json.RootElement.GetProperty("meters").GetProperty("audioSeconds").GetDecimal());
        Assert.Equal("0.01798833333333333", json.RootElement.GetProperty("totalUsd").GetString());
    }

    [Fact]
    public async Task Cost_DeepgramResponseWithTwoResultChannels_IsBilledPerChannelWithoutTheFlag()
    {
        // 125.5 s on 2 channels = 251 s at nova-3's $0.0043 a minute: 251 × 0.0043 / 60.
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "deepgram", "--model", "nova-3", "--response", CliRun.File("Responses/deepgram/nova-3-multichannel.json"), "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(251m, json.RootElement.GetProperty("meters").GetProperty("audioSeconds").GetDecimal());
        Assert.Equal(251m * 0.0043m / 60m, decimal.Parse(json.RootElement.GetProperty("totalUsd").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 17);
        Assert.Equal("0.01798833333333333", json.RootElement.GetProperty("totalUsd").GetString());
    }

    [Fact]
    public async Task Cost_DeepgramStream_IsPricedAtTheStreamingRate()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "deepgram", "--model", "nova-2", "--response", CliRun.File("Responses/deepgram/case28-nova-2-streaming.jsonl"),
             "--stream", "--json"]);

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("streaming", json.RootElement.GetProperty("serviceTier").GetString());
        Assert.Equal("listen stream", json.RootElement.GetProperty("responseKind").GetString());
        Assert.Equal(600m, json.RootElement.GetProperty("meters").GetProperty("audioSeconds").GetDecimal());
    }

    [Theory]
    [InlineData("deepseek/case20-deepseek-reasoner.json", "2025-03-01T17:00:00Z", "0.002875000")]
    [InlineData("deepseek/case20-deepseek-reasoner.sse", "2025-03-01T17:00:00Z", "0.002875000")]
    [InlineData("deepseek/case20-deepseek-reasoner.json", "2025-03-01T10:00:00Z", "0.011510000")]
    [InlineData("deepseek/case20-deepseek-reasoner.sse", "2025-03-01T10:00:00Z", "0.011510000")]
    public async Task Cost_DeepSeekOffPeak_IsPricedAtTheCallsTime(string response, string at, string totalUsd)
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "deepseek", "--model", "deepseek-reasoner", "--response", CliRun.File("Responses/" + response),
             .. response.EndsWith(".sse", StringComparison.Ordinal) ? new[] { "--stream" } : [], "--at", at, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(totalUsd, json.RootElement.GetProperty("totalUsd").GetString());
        Assert.Equal(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture),
            json.RootElement.GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Cost_DeepSeekLegacyAliasInApril2026_IsPricedAsV4Flash()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "deepseek", "--model", "deepseek-chat", "--response", CliRun.File("Responses/deepseek/case21-deepseek-v4-flash.json"),
             "--at", "2026-06-01T00:00:00Z", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("0.000444696", json.RootElement.GetProperty("totalUsd").GetString());
    }

    [Theory]
    [InlineData("tts-1", "0.018510000")]
    [InlineData("tts-1-hd", "0.037020000")]
    public async Task Cost_SpeechInputTextFile_PricesItsCharacters(string model, string totalUsd)
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "openai", "--model", model, "--input-text", CliRun.File("Responses/openai/case24-tts-input.txt"), "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1234, json.RootElement.GetProperty("meters").GetProperty("characters").GetInt64());
        Assert.Equal(totalUsd, json.RootElement.GetProperty("totalUsd").GetString());
    }

    [Fact]
    public async Task Cost_SpeechInputTextLiteral_CountsCodePoints()
    {
        var run = await CliRun.RunAsync(["cost", "--provider", "openai", "--model", "tts-1", "--input-text", "héllo 👋", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(7, json.RootElement.GetProperty("meters").GetProperty("characters").GetInt64());
        Assert.Equal("0.000105000", json.RootElement.GetProperty("totalUsd").GetString());
    }

    [Fact]
    public async Task Cost_EdgeTts_IsFreeButCountsCharacters()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "edge-tts", "--model", "en-US-AriaNeural", "--input-text", CliRun.File("Responses/edge-tts/case29-input.txt"), "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("priced", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("0.000000000", json.RootElement.GetProperty("totalUsd").GetString());
        Assert.Equal(5000, json.RootElement.GetProperty("meters").GetProperty("characters").GetInt64());
    }

    [Fact]
    public async Task Cost_Json_ShowsMetersLinesAndTheReportedModel()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "openai", "--model", "gpt-4o-mini", "--response", CliRun.File("Responses/openai/case03-gpt-4o-mini-cached.json"), "--json"]);

        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("gpt-4o-mini-2024-07-18", root.GetProperty("reportedModel").GetString());
        Assert.Equal("chat.completion", root.GetProperty("responseKind").GetString());
        Assert.Equal(10000, root.GetProperty("meters").GetProperty("inputTokens").GetInt64());
        Assert.Equal(40000, root.GetProperty("meters").GetProperty("cacheReadTokens").GetInt64());
        Assert.Equal(2000, root.GetProperty("meters").GetProperty("outputTokens").GetInt64());
        Assert.Equal("0.001500000", root.GetProperty("lines").GetProperty("input").GetString());
        Assert.Equal("0.003000000", root.GetProperty("lines").GetProperty("cacheRead").GetString());
        Assert.Equal("0.001200000", root.GetProperty("lines").GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("serviceTier").ValueKind);
    }

    [Fact]
    public async Task Cost_ServiceTierOption_AppliesTheBatchDiscount()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "openai", "--model", "gpt-4o", "--response", CliRun.File("Responses/openai/case01-gpt-4o.json"),
             "--service-tier", "batch", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("0.003750000", json.RootElement.GetProperty("totalUsd").GetString());
        Assert.Equal("0.5", json.RootElement.GetProperty("multiplier").GetString());
    }

    [Fact]
    public async Task Cost_Text_PrintsMetersCostsSourceAndStatus()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "openai", "--model", "gpt-4o", "--response", CliRun.File("Responses/openai/case01-gpt-4o.json")]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("openai/gpt-4o (response: gpt-4o-2024-08-06), chat.completion, at 2026-11-24T12:00:00Z", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"inputTokens\s+1000", run.Stdout);
        Assert.Matches(@"outputTokens\s+500", run.Stdout);
        Assert.Matches(@"input\s+0\.002500000", run.Stdout);
        Assert.Matches(@"output\s+0\.005000000", run.Stdout);
        Assert.Matches(@"total\s+0\.007500000", run.Stdout);
        Assert.Matches(@"Price: .+ \(\d{4}-\d{2}-\d{2}\)", run.Stdout);
        Assert.Contains("Status: priced", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Theory]
    [InlineData("openai", "gpt-4o", "openai/case01-gpt-4o-cut.sse")]
    [InlineData("gemini", "gemini-2.5-flash", "gemini/gemini-2.5-flash-cut.sse")]
    [InlineData("anthropic", "claude-haiku-4-5", "anthropic/case08-claude-haiku-4-5-cut.sse")]
    [InlineData("deepgram", "nova-2", "deepgram/nova-2-streaming-cut.jsonl")]
    public async Task Cost_CutStream_IsUsageUnknownWithExitThree(string provider, string model, string response)
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", provider, "--model", model, "--response", CliRun.File("Responses/" + response), "--stream", "--json"]);

        Assert.Equal(3, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("usage_unknown", json.RootElement.GetProperty("status").GetString());
        Assert.False(json.RootElement.GetProperty("usageKnown").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("totalUsd").ValueKind);
        Assert.Contains("Usage unknown", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_ChatBodyStreamedWithoutTheFlag_IsReadAsJsonAndFails()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "openai", "--model", "gpt-4o", "--response", CliRun.File("Responses/openai/case01-gpt-4o.sse")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a openai response", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_UnknownModel_IsUnpricedWithExitFourNamingTheModel()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "openai", "--model", "gpt-9-turbo", "--response", CliRun.File("Responses/openai/unknown-model.json"), "--json"]);

        Assert.Equal(4, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("unpriced", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("totalUsd").ValueKind);
        Assert.Contains("gpt-9-turbo", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("not zero", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_RetiredModelAfterRetirement_IsUnpriced()
    {
        var run = await CliRun.RunAsync(
            ["cost", "--provider", "deepseek", "--model", "deepseek-chat", "--response", CliRun.File("Responses/deepseek/deepseek-chat-retired.json"),
             "--at", "2026-08-01T00:00:00Z"]);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("Status: unpriced", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("deepseek-chat", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "cost", "--model", "gpt-4o", "--response", "x.json" }, "Option '--provider' is required.")]
    [InlineData(new[] { "cost", "--provider", "openai", "--model", "gpt-4o" }, "Missing --response FILE")]
    [InlineData(new[] { "cost", "--provider", "azure", "--model", "gpt-4o", "--response", "x.json" }, "Unknown provider 'azure'")]
    [InlineData(new[] { "cost", "--provider", "openai", "--model", "gpt-4o", "--response", "x.json", "--multichannel" }, "--multichannel applies to deepgram only.")]
    [InlineData(new[] { "cost", "--provider", "gemini", "--model", "g", "--input-text", "hi" }, "--input-text is for text-to-speech")]
    [InlineData(new[] { "cost", "--provider", "edge-tts", "--model", "edge-tts" }, "give --input-text")]
    [InlineData(new[] { "cost", "--provider", "openai", "--model", "tts-1", "--input-text", "hi", "--stream" }, "give --input-text alone")]
    [InlineData(new[] { "cost", "--provider", "openai", "--model", "gpt-4o", "--response", "x.json", "--at", "noon" }, "--at needs an ISO-8601 time")]
    [InlineData(new[] { "cost", "--provider", "openai", "--model", "gpt-4o", "--response", "no-such-file.json" }, "Cannot read the response 'no-such-file.json': no such file.")]
    public async Task Cost_BadArguments_ExitTwoWithAClearMessage(string[] args, string message)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    private static bool IsStream(string response) =>
        response.EndsWith(".sse", StringComparison.Ordinal) || response.Contains("streaming", StringComparison.Ordinal);
}
