using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>
/// Issue 6's acceptance: every seed operation, called through the gateway with the official OpenAI .NET SDK where it has
/// the call, returns a real result from the simulator with <c>X-Helix-Cost-Usd</c> and is in the log with its meters.
/// </summary>
public sealed class SeedOperationsTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public SeedOperationsTests(GatewayFactory factory)
    {
        _factory = factory;
        _factory.Simulator.Reset();
    }

    private OpenAIClient Sdk()
    {
        var http = _factory.CreateClient();
        return new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("agent")]
    [InlineData("memory-synthesis")]
    [InlineData("sentiment-analysis")]
    [InlineData("email-drafting")]
    [InlineData("video-understanding")]
    public async Task ChatOperation_OpenAISdk_AnswersPricedAndLoggedWithItsMeters(string operation)
    {
        var client = Sdk().GetChatClient($"op:{operation}");

        var result = await client.CompleteChatAsync([new UserChatMessage($"A short answer for {operation}, please.")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(result.Value.Content[0].Text));
        var row = await AssertPricedAndLoggedAsync(result.GetRawResponse(), operation);
        Assert.Equal(result.Value.Usage.InputTokenCount, row.GetProperty("promptTokens").GetInt64());
        Assert.Equal(result.Value.Usage.OutputTokenCount, row.GetProperty("completionTokens").GetInt64());
    }

    [Fact]
    public async Task VideoUnderstanding_FilePartWithAVideoDataUrl_MetersVideoTokensAndPricesThemAtTheVideoRate()
    {
        // Distinct rates per modality, so a video token priced as text (or not at all) shows in the total.
        using var put = await _factory.CreateAdminClient().PutAsync("/admin/api/prices/overrides", new StringContent("""
            {"models":[{"provider":"gemini","model":"gemini-2.5-pro","prices":[{"source":"acceptance test","sourceDate":"2026-11-01",
              "rates":{"input":1,"cacheRead":0.5,"inputAudio":3,"cacheReadAudio":1.5,"inputImage":5,"inputVideo":7,"output":11,"reasoning":13}}]}]}
            """, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var video = new byte[40_000];
        new Random(6).NextBytes(video);
        "\0\0\0\u0018ftypmp42"u8.CopyTo(video);
        var client = Sdk().GetChatClient("op:video-understanding");
#pragma warning disable OPENAI001 // the SDK marks file parts experimental; they are what OpenAI clients send for video
        List<ChatMessage> messages =
        [
            new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("What happens in this clip?"),
                ChatMessageContentPart.CreateFilePart(BinaryData.FromBytes(video), "video/mp4", "clip.mp4")),
        ];
#pragma warning restore OPENAI001

        var result = await client.CompleteChatAsync(messages, cancellationToken: TestContext.Current.CancellationToken);

        var row = await AssertPricedAndLoggedAsync(result.GetRawResponse(), "video-understanding");
        Assert.Equal("gemini/gemini-2.5-pro", row.GetProperty("model").GetString());
        var videoTokens = row.GetProperty("inputVideoTokens").GetInt64();
        Assert.True(videoTokens > 0, "the video's tokens are metered as video");
        long M(string name) => row.GetProperty(name).GetInt64();
        var expected = ((M("inputTokens") * 1m) + (M("cacheReadTokens") * 0.5m) + (M("inputAudioTokens") * 3m) + (M("cacheReadAudioTokens") * 1.5m)
            + (M("inputImageTokens") * 5m) + (videoTokens * 7m) + (M("outputTokens") * 11m) + (M("reasoningTokens") * 13m)) / 1_000_000m;
        Assert.Equal(expected, decimal.Parse(row.GetProperty("costUsd").GetString()!, CultureInfo.InvariantCulture));
    }

    private async Task<JsonElement> AssertPricedAndLoggedAsync(PipelineResponse raw, string operation)
    {
        Assert.True(raw.Headers.TryGetValue("X-Helix-Cost-Usd", out var cost), "X-Helix-Cost-Usd is set");
        Assert.True(raw.Headers.TryGetValue("X-Helix-Request-Id", out var requestId));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Operation", out var headerOperation));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Model", out var model));
        Assert.Equal(operation, headerOperation);
        var usd = decimal.Parse(cost!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        Assert.True(usd > 0m && usd < 1m, $"a cost in dollars, not micro-dollars or cents: {cost}");
        var rows = await Json.LogsAsync(_factory.CreateAdminClient(), "limit=1000");
        var row = Assert.Single(rows, r => r.GetProperty("requestId").GetString() == requestId && r.GetProperty("status").GetString() == "success");
        Assert.Equal(operation, row.GetProperty("operation").GetString());
        Assert.Equal(model, row.GetProperty("model").GetString());
        Assert.Equal(cost, row.GetProperty("costUsd").GetString());
        Assert.Equal("priced", row.GetProperty("costStatus").GetString());
        return row;
    }
}
