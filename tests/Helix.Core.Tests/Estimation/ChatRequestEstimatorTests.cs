using System.Text.Json.Nodes;
using Helix.Core.Estimation;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;
using Xunit;

namespace Helix.Core.Tests.Estimation;

public sealed class ChatRequestEstimatorTests
{
    private const int ReplyPriming = 3;
    private const int PerMessage = 4;
    private const int PerImage = 765;

    private static readonly DateTimeOffset s_at = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly ModelConfig s_model = new() { Id = "alpha/a-1", Provider = "alpha", ProviderModel = "a-1", DefaultMaxOutputTokens = 1000 };

    private static readonly PriceEntry s_price = new()
    {
        Provider = "alpha",
        Model = "a-1",
        Rates = new PriceRates { Input = 1m, Output = 4m },
        ServiceTiers = new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase)
        {
            ["batch"] = new(null, 0.5m),
            ["priority"] = new(new PriceRates { Input = 2m, Output = 8m }, null),
            ["audio-only"] = new(new PriceRates { InputAudio = 1m }, null),
        },
        Source = "test",
        SourceDate = new DateOnly(2026, 1, 1),
    };

    [Fact]
    public void Estimate_StringContents_CountsTokensWithMessageFraming()
    {
        var request = Parse("""
            {"messages":[
              {"role":"system","content":"You answer in one sentence."},
              {"role":"user","content":"What is group commit?"}]}
            """);

        var estimate = ChatRequestEstimator.Estimate(request);

        var expected = ReplyPriming + 2 * PerMessage + TokenCounter.Count("You answer in one sentence.") + TokenCounter.Count("What is group commit?");
        Assert.Equal(expected, estimate.InputTokens);
        Assert.Equal(0, estimate.ImageParts);
        Assert.Null(estimate.MaxOutputTokens);
    }

    [Fact]
    public void Estimate_PartArray_CountsTextPartsAndEachImage()
    {
        var request = Parse("""
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"Describe both pictures."},
              {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
              {"type":"text","text":"Briefly."},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}
            """);

        var estimate = ChatRequestEstimator.Estimate(request);

        Assert.Equal(ReplyPriming + PerMessage + TokenCounter.Count("Describe both pictures.") + TokenCounter.Count("Briefly."), estimate.InputTokens);
        Assert.Equal(2, estimate.ImageParts);
    }

    [Fact]
    public void Estimate_ToolsAndToolCalls_CountsTheirJson()
    {
        var tools = new JsonArray(JsonNode.Parse("""{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}"""));
        var toolCalls = new JsonArray(JsonNode.Parse("""{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}"""));
        var request = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = toolCalls }),
            ["tools"] = tools,
        };

        var estimate = ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(request));

        Assert.Equal(ReplyPriming + PerMessage + TokenCounter.Count(toolCalls.ToJsonString()) + TokenCounter.Count(tools.ToJsonString()), estimate.InputTokens);
        Assert.True(estimate.InputTokens > ReplyPriming + PerMessage + 20);
    }

    [Fact]
    public void Estimate_NoMessages_CountsOnlyReplyPriming()
    {
        Assert.Equal(ReplyPriming, ChatRequestEstimator.Estimate(Parse("""{"model":"op:chat"}""")).InputTokens);
        Assert.Equal(ReplyPriming + PerMessage, ChatRequestEstimator.Estimate(Parse("""{"messages":[42,{"role":"user"}]}""")).InputTokens);
    }

    [Fact]
    public void Estimate_BothCaps_PrefersMaxCompletionTokens()
    {
        var estimate = ChatRequestEstimator.Estimate(Parse("""{"messages":[],"max_tokens":500,"max_completion_tokens":120}"""));

        Assert.Equal(120, estimate.MaxOutputTokens);
    }

    [Fact]
    public void Estimate_OnlyMaxTokens_UsesIt()
    {
        Assert.Equal(500, ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(new JsonObject { ["max_tokens"] = 500 })).MaxOutputTokens);
    }

    [Theory]
    [InlineData("""{"max_tokens":0}""")]
    [InlineData("""{"max_tokens":-5}""")]
    [InlineData("""{"max_tokens":"many"}""")]
    [InlineData("""{"max_completion_tokens":null}""")]
    public void Estimate_UnusableCap_HasNoCap(string json)
    {
        Assert.Null(ChatRequestEstimator.Estimate(Parse(json)).MaxOutputTokens);
    }

    [Fact]
    public void Estimate_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ChatRequestEstimator.Estimate(null!));
    }

    [Fact]
    public void WorstCaseCost_NoPrice_IsNull()
    {
        Assert.Null(ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, null, s_at));
        Assert.Null(ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, null, s_at, "priority"));
    }

    [Fact]
    public void WorstCaseCost_RequestCap_PricesInputAndCapAtOutputRate()
    {
        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, s_price, s_at);

        Assert.Equal((100 * 1m + 50 * 4m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_NoCap_UsesModelDefaultCap()
    {
        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, null), s_model, s_price, s_at);

        Assert.Equal((100 * 1m + 1000 * 4m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_Images_PricedAsTypicalImageTokens()
    {
        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(10, 2, 1), s_model, s_price, s_at);

        Assert.Equal(((10 + 2 * PerImage) * 1m + 1 * 4m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_DearerTier_UsesTierRates()
    {
        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, s_price, s_at, "priority");

        Assert.Equal((100 * 2m + 50 * 8m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_CheaperTier_KeepsDefaultRatesInCaseTheProviderIgnoresIt()
    {
        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, s_price, s_at, "batch");

        Assert.Equal((100 * 1m + 50 * 4m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_TierWithoutTextRates_FallsBackToDefaultRates()
    {
        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, s_price, s_at, "audio-only");

        Assert.Equal((100 * 1m + 50 * 4m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_DefaultRatesMissingButTierPriced_UsesTier()
    {
        var tierOnly = s_price with { Rates = new PriceRates() };

        var cost = ChatRequestEstimator.WorstCaseCost(new RequestEstimate(100, 0, 50), s_model, tierOnly, s_at, "priority");

        Assert.Equal((100 * 2m + 50 * 8m) / 1_000_000m, cost);
    }

    [Fact]
    public void WorstCaseCost_NullModel_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ChatRequestEstimator.WorstCaseCost(new RequestEstimate(1, 0, 1), null!, s_price, s_at));
    }

    [Fact]
    public void EstimateUsage_ProducedText_CountsItsTokensAsOutput()
    {
        var meters = ChatRequestEstimator.EstimateUsage(new RequestEstimate(40, 1, 500), "hello world");

        Assert.Equal(40 + PerImage, meters.InputTokens);
        Assert.Equal(2, meters.OutputTokens);
        Assert.Equal(0, meters.ReasoningTokens);
    }

    [Fact]
    public void EstimateUsage_NothingProduced_CountsOnlyInput()
    {
        var meters = ChatRequestEstimator.EstimateUsage(new RequestEstimate(40, 0, 500), null);

        Assert.Equal((40L, 0L), (meters.InputTokens, meters.OutputTokens));
    }

    private static ChatRequest Parse(string json) => ChatRequest.Parse(System.Text.Encoding.UTF8.GetBytes(json));
}
