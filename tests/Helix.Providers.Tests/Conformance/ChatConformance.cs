using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.Tests.OpenApi;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Conformance;

/// <summary>
/// What every chat adapter does against its simulated provider: an OpenAI <c>chat.completion</c> with its usage, a
/// stream of chunks ending with the usage, each fault mapped, a cut stream, timeout, cancellation. Every body and
/// chunk is validated against the schemas of OpenAI's OpenAPI document.
/// </summary>
public abstract class ChatConformance : ConformanceSuite
{
    protected abstract IChatProvider Create(HttpClient http, ProviderEndpoint endpoint);

    /// <summary>
    /// Whether the bodies must carry every field OpenAI's schema requires: always where Helix writes them (a
    /// translating adapter) and for OpenAI itself; a pass-through of another upstream (DeepSeek) returns that
    /// upstream's own body as it came.
    /// </summary>
    protected virtual bool FollowsOpenAISchema => true;

    /// <summary>The endpoint the adapter is given (its API root on the simulator).</summary>
    protected virtual ProviderEndpoint ChatEndpoint => Endpoint;

    private ChatCall Call(int maxTokens = 5) => new()
    {
        Model = Model,
        Request = new JsonObject
        {
            ["model"] = "op:chat",
            ["max_tokens"] = maxTokens,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
                new JsonObject { ["role"] = "user", ["content"] = "Say five words about Helix." }),
        },
        RequestId = "req_conformance",
    };

    [Fact]
    public async Task CompleteAsync_Request_ReturnsAnOpenAIChatCompletionWithTheBilledUsage()
    {
        using var http = Client();
        var provider = Create(http, ChatEndpoint);

        var result = await provider.CompleteAsync(Call(), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        if (FollowsOpenAISchema)
        {
            OpenAISchemas.AssertValid("CreateChatCompletionResponse", result.Value.Body.Span);
        }

        var body = JsonNode.Parse(result.Value.Body.Span)!;
        Assert.Equal("length", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(5, body["choices"]![0]!["message"]!["content"]!.GetValue<string>().Split(' ').Length);
        var usage = result.Value.Usage;
        Assert.True(usage.IsKnown);
        var billed = Assert.Single(State.Ledger);
        Assert.Equal(billed.CompletionTokens, usage.Meters.CompletionTokens);
        Assert.True(usage.Meters.PromptTokens > 0);
    }

    [Fact]
    public async Task StreamAsync_Request_StreamsOpenAIChunksEndingWithTheUsage()
    {
        using var http = Client();
        var provider = Create(http, ChatEndpoint);

        var result = await provider.StreamAsync(Call(), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        var chunks = await ProviderCalls.DrainAsync(stream, Ct);
        Assert.Null(stream.Error);
        if (FollowsOpenAISchema)
        {
            Assert.All(chunks, chunk => OpenAISchemas.AssertValid("CreateChatCompletionStreamResponse", chunk.Json.Span));
        }

        Assert.True(chunks[^1].IsUsageOnly);
        Assert.Single(chunks, c => c.IsUsageOnly);
        Assert.Equal(5, stream.StreamedText.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(stream.Usage.IsKnown);
        Assert.Equal(Assert.Single(State.Ledger).CompletionTokens, stream.Usage.Meters.CompletionTokens);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task CompleteAsync_Fault_MapsToItsKind(SimulatorFault fault, ProviderErrorKind kind)
    {
        Fail(fault);
        using var http = Client();
        var provider = Create(http, ChatEndpoint);

        var result = await provider.CompleteAsync(Call(), Ct);

        Assert.False(result.IsSuccess);
        AssertFault(result.Error, fault, kind);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task StreamAsync_FaultBeforeTheFirstChunk_FailsTheCallSoItCanFallBack(SimulatorFault fault, ProviderErrorKind kind)
    {
        Fail(fault);
        using var http = Client();
        var provider = Create(http, ChatEndpoint);

        var result = await provider.StreamAsync(Call(), Ct);

        Assert.False(result.IsSuccess);
        AssertFault(result.Error, fault, kind);
    }

    [Fact]
    public async Task StreamAsync_CutMidStream_EndsWithANetworkErrorAndUnknownUsage()
    {
        Fail(SimulatorFault.CutStream);
        using var http = Client();
        var provider = Create(http, ChatEndpoint);

        var result = await provider.StreamAsync(Call(maxTokens: 24), Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var stream = result.Value;
        await ProviderCalls.DrainAsync(stream, Ct);
        Assert.Equal(ProviderErrorKind.Network, stream.Error?.Kind);
        Assert.False(stream.Usage.IsKnown && stream.Usage.Meters.CompletionTokens >= 24);
        Assert.NotEmpty(stream.StreamedText);
    }

    [Fact]
    public async Task CompleteAsync_NoAnswerWithinTheClientTimeout_IsATimeout()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client(TimeSpan.FromMilliseconds(300));
        var provider = Create(http, ChatEndpoint);

        var result = await provider.CompleteAsync(Call(), Ct);

        Assert.Equal(ProviderErrorKind.Timeout, result.Error?.Kind);
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task CompleteAndStream_CancelledByTheCaller_Throw()
    {
        Fail(SimulatorFault.Timeout);
        using var http = Client();
        var provider = Create(http, ChatEndpoint);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CompleteAsync(Call(), cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.StreamAsync(Call(), cancel.Token));
        Assert.Empty(State.Ledger);
    }
}
