using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.Gemini;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Gemini;

public sealed class GeminiEmbeddingsConformanceTests : EmbeddingsConformance
{
    protected override string SimulatedProvider => SimulatorProviders.Gemini;

    protected override string ProviderModel => "gemini-embedding-001";

    // Gemini's embed answers carry no usage: the tokens are counted by the simulator's rule and flagged.
    protected override bool ReportsUsage => false;

    protected override IEmbeddingsProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new GeminiEmbeddingsProvider(http, endpoint);

    [Fact]
    public async Task EmbedAsync_OneString_UsesEmbedContentAndBase64IsFloat32()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var request = new JsonObject { ["input"] = "one text", ["dimensions"] = 8, ["encoding_format"] = "base64" };

        var result = await provider.EmbedAsync(new EmbeddingsCall { Model = Model, Request = request }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var body = JsonNode.Parse(result.Value.Body.Span)!;
        var bytes = Convert.FromBase64String(body["data"]![0]!["embedding"]!.GetValue<string>());
        Assert.Equal(8 * sizeof(float), bytes.Length);
        Assert.Equal("gemini-embedding-001", body["model"]!.GetValue<string>());
        Assert.Equal(2, result.Value.Usage.Meters.InputTokens);
    }

    [Fact]
    public async Task EmbedAsync_TokenArrays_AreRefusedBeforeAnyCall()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);
        var request = new JsonObject { ["input"] = new JsonArray(1, 2, 3) };

        var result = await provider.EmbedAsync(new EmbeddingsCall { Model = Model, Request = request }, Ct);

        Assert.Equal(ProviderErrorKind.InvalidRequest, result.Error?.Kind);
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task EmbedAsync_UsageMetadataReported_IsTheKnownUsage()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(
            """{"embedding":{"values":[0.6,0.8]},"usageMetadata":{"promptTokenCount":11,"totalTokenCount":11}}"""));
        using var http = Client();
        var provider = Create(http, new ProviderEndpoint(upstream.BaseUrl, "key"));

        var result = await provider.EmbedAsync(new EmbeddingsCall { Model = Model, Request = new JsonObject { ["input"] = "x" } }, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.True(result.Value.Usage.IsKnown);
        Assert.Equal(11, result.Value.Usage.Meters.InputTokens);
        Assert.Equal(11, JsonNode.Parse(result.Value.Body.Span)!["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.EndsWith("models/gemini-embedding-001:embedContent", upstream.Received.Single().PathAndQuery, StringComparison.Ordinal);
    }
}
