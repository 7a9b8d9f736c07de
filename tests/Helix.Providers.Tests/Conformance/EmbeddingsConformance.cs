using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.Tests.OpenApi;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Conformance;

/// <summary>What every embeddings adapter does against its simulated provider: OpenAI-shaped vectors, usage, faults, timeout, cancellation.</summary>
public abstract class EmbeddingsConformance : ConformanceSuite
{
    protected abstract IEmbeddingsProvider Create(HttpClient http, ProviderEndpoint endpoint);

    /// <summary>Whether the provider reports usage; one that does not has its input tokens counted and flagged.</summary>
    protected virtual bool ReportsUsage => true;

    private EmbeddingsCall Call(JsonNode input, int? dimensions = null)
    {
        var request = new JsonObject { ["model"] = "op:embeddings", ["input"] = input };
        if (dimensions is { } d)
        {
            request["dimensions"] = d;
        }

        return new EmbeddingsCall { Model = Model, Request = request, RequestId = "req_conformance" };
    }

    [Fact]
    public async Task EmbedAsync_TwoInputs_ReturnsTwoVectorsInTheOpenAIShapeWithTheBilledTokens()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.EmbedAsync(Call(new JsonArray("the first text to embed", "a second one")), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        OpenAISchemas.AssertValid("CreateEmbeddingResponse", result.Value.Body.Span);
        var body = JsonNode.Parse(result.Value.Body.Span)!;
        Assert.Equal("list", body["object"]!.GetValue<string>());
        var data = body["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("embedding", data[i]!["object"]!.GetValue<string>());
            Assert.Equal(i, data[i]!["index"]!.GetValue<int>());
            Assert.NotEmpty(data[i]!["embedding"]!.AsArray());
        }

        Assert.Equal(ReportsUsage, result.Value.Usage.IsKnown);
        var billed = Assert.Single(State.Ledger);
        Assert.Equal(billed.PromptTokens, result.Value.Usage.Meters.InputTokens);
        Assert.True(result.Value.Usage.Meters.InputTokens > 0);
        Assert.Equal(billed.PromptTokens, body["usage"]!["prompt_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task EmbedAsync_Dimensions_AreHonoured()
    {
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.EmbedAsync(Call("one text", dimensions: 256), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(256, JsonNode.Parse(result.Value.Body.Span)!["data"]![0]!["embedding"]!.AsArray().Count);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task EmbedAsync_Fault_MapsToItsKind(SimulatorFault fault, ProviderErrorKind kind)
    {
        Fail(fault);
        using var http = Client();
        var provider = Create(http, Endpoint);

        var result = await provider.EmbedAsync(Call("text"), Ct);

        Assert.False(result.IsSuccess);
        AssertFault(result.Error, fault, kind);
    }

    [Fact]
    public async Task EmbedAsync_NoAnswerWithinTheClientTimeout_IsATimeout()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client(TimeSpan.FromMilliseconds(300));
        var provider = Create(http, Endpoint);

        var result = await provider.EmbedAsync(Call("text"), Ct);

        Assert.Equal(ProviderErrorKind.Timeout, result.Error?.Kind);
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task EmbedAsync_CancelledByTheCaller_Throws()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client();
        var provider = Create(http, Endpoint);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.EmbedAsync(Call("text"), cancel.Token));
    }
}
