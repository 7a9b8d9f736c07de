using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.Tests.OpenApi;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Conformance;

/// <summary>
/// What every chat adapter does against its simulated provider: an OpenAI <c>chat.completion</c> with its usage, a
/// stream of chunks ending with the usage, each fault mapped, a cut stream, timeout, cancellation. Every body and
/// chunk is validated against the schemas of OpenAI's OpenAPI document. Against a loopback upstream answering in the
/// provider's own error envelope: each failure status mapped to its kind, a key echoed in an error redacted, an
/// unreadable success body, nothing listening, requests a translating adapter cannot express refused before any call.
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

    /// <summary>Whether the adapter translates requests into another API (so some OpenAI requests cannot be expressed) rather than passing them through.</summary>
    protected virtual bool TranslatesRequests => true;

    /// <summary>The provider's error body for <paramref name="status"/> carrying <paramref name="message"/>, as the provider writes it.</summary>
    protected abstract string ErrorBody(int status, string message);

    private const string LoopbackKey = "sk-conformance-0123456789abcdef";

    /// <summary>The failure statuses every adapter maps alike, whatever its error envelope says.</summary>
    public static TheoryData<int, ProviderErrorKind> FailureStatuses => new()
    {
        { 400, ProviderErrorKind.InvalidRequest },
        { 401, ProviderErrorKind.Unauthorized },
        { 403, ProviderErrorKind.Unauthorized },
        { 404, ProviderErrorKind.NotFound },
        { 408, ProviderErrorKind.Timeout },
        { 429, ProviderErrorKind.RateLimited },
        { 500, ProviderErrorKind.ServerError },
        { 503, ProviderErrorKind.ServerError },
        { 300, ProviderErrorKind.ServerError },
    };

    /// <summary>Requests no translating adapter can express, and the words its error names the cause with.</summary>
    public static TheoryData<string, string> Untranslatable => new()
    {
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}""", "URL or data" },
        { """{"messages":[{"role":"assistant","tool_calls":"x"}]}""", "must be an array" },
        { """{"messages":[{"role":"assistant","tool_calls":[{"id":"t","function":{"name":"f","arguments":"{x"}}]}]}""", "not JSON" },
        { """{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"computer"}]}""", "function tools" },
        { """{"messages":[{"role":"user","content":"x"}],"tool_choice":"maybe"}""", "tool_choice" },
    };

    private ChatCall Call(int maxTokens = 5, JsonObject? request = null) => new()
    {
        Model = Model,
        Request = ChatRequest.FromJsonObject(request ?? new JsonObject
        {
            ["model"] = "op:chat",
            ["max_tokens"] = maxTokens,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "Be brief." },
                new JsonObject { ["role"] = "user", ["content"] = "Say five words about Helix." }),
        }),
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

    [Theory]
    [MemberData(nameof(FailureStatuses))]
    public async Task CompleteAsync_FailureStatus_MapsToItsKind(int status, ProviderErrorKind kind)
    {
        var body = status == 408 ? string.Empty : ErrorBody(status, "the upstream refused");
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body, status));
        using var http = Client();
        var provider = Create(http, LoopbackEndpoint(upstream));

        var result = await provider.CompleteAsync(Call(), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.StartsWith(provider.Name + ": ", result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LoopbackKey, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_ErrorEchoingTheKey_IsRedacted()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(ErrorBody(401, $"bad key {LoopbackKey} given"), 401));
        using var http = Client();
        var provider = Create(http, LoopbackEndpoint(upstream));

        var result = await provider.CompleteAsync(Call(), Ct);

        Assert.Equal($"{provider.Name}: bad key *** given", result.Error!.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"id\":\"x\",")]
    [InlineData("<html>upstream error</html>")]
    public async Task CompleteAsync_UnreadableSuccessBody_IsMalformedResponse(string body)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = Client();

        var result = await Create(http, LoopbackEndpoint(upstream)).CompleteAsync(Call(), Ct);

        Assert.Equal(ProviderErrorKind.MalformedResponse, result.Error!.Kind);
    }

    [Fact]
    public async Task CompleteAndStream_NothingListening_AreNetworkErrors()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = Client();
        var closed = Create(http, new ProviderEndpoint(new Uri($"http://127.0.0.1:{port}/{ApiPath}"), LoopbackKey));

        var refused = await closed.CompleteAsync(Call(), Ct);
        var refusedStream = await closed.StreamAsync(Call(), Ct);

        Assert.Equal(ProviderErrorKind.Network, refused.Error!.Kind);
        Assert.Equal(ProviderErrorKind.Network, refusedStream.Error!.Kind);
        Assert.DoesNotContain(LoopbackKey, refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderName, closed.Name);
    }

    [Fact]
    public async Task CompleteAndStream_NullCall_Throw()
    {
        using var http = Client();
        var provider = Create(http, ChatEndpoint);

        await Assert.ThrowsAsync<ArgumentNullException>(() => provider.CompleteAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => provider.StreamAsync(null!, Ct));
    }

    [Theory]
    [MemberData(nameof(Untranslatable))]
    public async Task CompleteAndStream_RequestOnlyATranslatingAdapterRefuses_IsRefusedWithoutACallOrPassedThroughAsIs(string request, string reason)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(ErrorBody(400, "refused upstream"), 400));
        using var http = Client();
        var provider = Create(http, LoopbackEndpoint(upstream));

        var result = await provider.CompleteAsync(Call(request: JsonNode.Parse(request)!.AsObject()), Ct);
        var streamed = await provider.StreamAsync(Call(request: JsonNode.Parse(request)!.AsObject()), Ct);

        Assert.Equal(ProviderErrorKind.InvalidRequest, result.Error!.Kind);
        Assert.Equal(ProviderErrorKind.InvalidRequest, streamed.Error!.Kind);
        if (TranslatesRequests)
        {
            Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
            Assert.Empty(upstream.Received);
        }
        else
        {
            // A pass-through adapter leaves judging the request to its upstream: it reaches it, and the upstream's 400 comes back.
            Assert.Equal(2, upstream.Received.Count);
            Assert.Equal(JsonNode.Parse(request)!["messages"]!.ToJsonString(), JsonNode.Parse(upstream.Received[0].Body)!["messages"]!.ToJsonString());
            Assert.Equal(400, result.Error.StatusCode);
        }
    }

    // The adapter's API path on the simulator ("openai/v1", "anthropic/v1", "gemini/v1beta"), reused on a loopback upstream.
    private string ApiPath => ChatEndpoint.BaseUrl.AbsolutePath.Trim('/');

    private ProviderEndpoint LoopbackEndpoint(LoopbackUpstream upstream) => new(new Uri(upstream.BaseUrl, ApiPath), LoopbackKey);
}
