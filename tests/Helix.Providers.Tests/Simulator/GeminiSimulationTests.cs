using System.Net;
using System.Text.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class GeminiSimulationTests : SimulatorTestBase
{
    private const string Generate = "gemini/v1beta/models/gemini-2.5-flash:generateContent";
    private const string StreamSse = "gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";

    [Fact]
    public async Task GenerateContent_TextPrompt_ReportsUsageMetadata()
    {
        State.Default = new SimulatorBehavior { CompletionTokens = 200, ReasoningTokens = 640, CachedTokens = 2 };

        using var response = await PostJsonAsync(Generate, """{"systemInstruction":{"parts":[{"text":"1234"}]},"contents":[{"role":"user","parts":[{"text":"123456789012"}]}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var candidate = body.GetProperty("candidates")[0];
        Assert.Equal("STOP", candidate.GetProperty("finishReason").GetString());
        Assert.Equal("model", candidate.GetProperty("content").GetProperty("role").GetString());
        Assert.Equal(200, candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()!.Split(' ').Length);
        var usage = body.GetProperty("usageMetadata");
        Assert.Equal(4, usage.GetProperty("promptTokenCount").GetInt32());
        Assert.Equal(2, usage.GetProperty("cachedContentTokenCount").GetInt32());
        Assert.Equal(200, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(640, usage.GetProperty("thoughtsTokenCount").GetInt32());
        Assert.Equal(844, usage.GetProperty("totalTokenCount").GetInt32());
        Assert.Equal("TEXT", usage.GetProperty("promptTokensDetails")[0].GetProperty("modality").GetString());
        Assert.Equal(2, usage.GetProperty("cacheTokensDetails")[0].GetProperty("tokenCount").GetInt32());
        Assert.Equal("gemini-2.5-flash", body.GetProperty("modelVersion").GetString());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(body.GetProperty("responseId").GetString(), entry.RequestId);
        Assert.Equal((4L, 2L, 840L, 640L), (entry.PromptTokens, entry.CachedTokens, entry.CompletionTokens, entry.ReasoningTokens));
    }

    [Fact]
    public async Task GenerateContent_NoThinkingOrCache_LeavesZeroCountsOut()
    {
        using var response = await PostJsonAsync(Generate, """{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"maxOutputTokens":3}}""");

        var body = await ReadJsonAsync(response);
        var usage = body.GetProperty("usageMetadata");
        Assert.False(usage.TryGetProperty("thoughtsTokenCount", out _));
        Assert.False(usage.TryGetProperty("cachedContentTokenCount", out _));
        Assert.Equal(3, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal("MAX_TOKENS", body.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task GenerateContent_InlineAudio_CountsAudioModalityAndCacheByModality()
    {
        State.Default = new SimulatorBehavior { CachedTokens = 50 };
        var audio = Convert.ToBase64String(TestAudio.Wav(2));

        using var response = await PostJsonAsync(Generate, $$$"""{"contents":[{"parts":[{"text":"1234567890"},{"inline_data":{"mime_type":"audio/wav","data":"{{{audio}}}"}}]}]}""");

        var usage = (await ReadJsonAsync(response)).GetProperty("usageMetadata");
        Assert.Equal(67, usage.GetProperty("promptTokenCount").GetInt32());
        var details = usage.GetProperty("promptTokensDetails").EnumerateArray()
            .ToDictionary(d => d.GetProperty("modality").GetString()!, d => d.GetProperty("tokenCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["TEXT"] = 3, ["AUDIO"] = 64 }, details);
        var cached = usage.GetProperty("cacheTokensDetails").EnumerateArray()
            .ToDictionary(d => d.GetProperty("modality").GetString()!, d => d.GetProperty("tokenCount").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["TEXT"] = 3, ["AUDIO"] = 47 }, cached);
    }

    [Fact]
    public async Task StreamGenerateContent_Sse_SendsSeveralChunksEachWithUsageLastFinal()
    {
        State.Default = new SimulatorBehavior { CompletionTokens = 20, ReasoningTokens = 5 };

        using var response = await PostJsonAsync(StreamSse, """{"contents":[{"parts":[{"text":"12345678"}]}]}""");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.EndsWith("}\r\n\r\n", text, StringComparison.Ordinal);
        var chunks = ParseSse(text).Select(e => Parse(e.Data)).ToList();
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(2, c.GetProperty("usageMetadata").GetProperty("promptTokenCount").GetInt32()));
        Assert.All(chunks.SkipLast(1), c => Assert.False(c.GetProperty("candidates")[0].TryGetProperty("finishReason", out _)));
        var last = chunks[^1];
        Assert.Equal("STOP", last.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Equal(20, last.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal(27, last.GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt32());
        var streamedText = string.Concat(chunks.Select(c => c.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()));
        Assert.Equal(20, streamedText.Split(' ').Length);
        Assert.True(Assert.Single(State.Ledger).Streamed);
    }

    [Fact]
    public async Task StreamGenerateContent_WithoutAltSse_StreamsJsonArray()
    {
        using var response = await PostJsonAsync("gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent", """{"contents":[{"parts":[{"text":"hi"}]}]}""");

        var array = await ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        Assert.Equal(3, array.GetArrayLength());
        Assert.Equal(24, array[2].GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32());
    }

    [Fact]
    public async Task StreamGenerateContent_CutStream_BreaksAfterFirstChunkWithoutFinalUsage()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.CutStream };

        using var response = await PostJsonForStreamAsync(StreamSse, """{"contents":[{"parts":[{"text":"hi"}]}]}""");
        var (text, error) = await ReadUntilBrokenAsync(response);

        Assert.NotNull(error);
        var chunk = Parse(Assert.Single(ParseSse(text)).Data);
        Assert.False(chunk.GetProperty("candidates")[0].TryGetProperty("finishReason", out _));
        Assert.Equal(8, Assert.Single(State.Ledger).CompletionTokens);
    }

    [Fact]
    public async Task GenerateContent_RateLimited_AnswersRpcStatusWithRetryInfo()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.RateLimited, RetryAfterSeconds = 37 };

        using var response = await PostJsonAsync(Generate, """{"contents":[{"parts":[{"text":"hi"}]}]}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal(429, error.GetProperty("code").GetInt32());
        Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
        var retryInfo = error.GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.RetryInfo");
        Assert.Equal("37s", retryInfo.GetProperty("retryDelay").GetString());
        Assert.Empty(State.Ledger);
    }

    [Theory]
    [InlineData(SimulatorFault.ServerError, 500, "INTERNAL")]
    [InlineData(SimulatorFault.Overloaded, 503, "UNAVAILABLE")]
    [InlineData(SimulatorFault.Unauthorized, 401, "UNAUTHENTICATED")]
    public async Task GenerateContent_ErrorFault_AnswersRpcStatus(SimulatorFault fault, int code, string status)
    {
        State.Default = new SimulatorBehavior { Fault = fault };

        using var response = await PostJsonAsync(Generate, """{"contents":[{"parts":[{"text":"hi"}]}]}""");

        Assert.Equal(code, (int)response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(status, error.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Models_UnknownMethod_Answers404NotFound()
    {
        using var response = await PostJsonAsync("gemini/v1beta/models/gemini-2.5-flash:predict", """{"contents":[]}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("status").GetString());
    }

    [Fact]
    public async Task CountTokens_TextPrompt_ReturnsTotalWithoutBilling()
    {
        using var response = await PostJsonAsync("gemini/v1beta/models/gemini-2.5-flash:countTokens", """{"contents":[{"parts":[{"text":"12345678"}]}]}""");

        Assert.Equal(2, (await ReadJsonAsync(response)).GetProperty("totalTokens").GetInt32());
        Assert.Empty(State.Ledger);
    }
}
