using System.Text;
using Helix.Core.ChatClients;
using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Testing;
using Microsoft.Extensions.AI;
using Xunit;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.ChatClients;

public sealed class HelixChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_ProviderAnswers_ReturnsTextUsageAndTheLoggedCall()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(120, 30, reportedModel: "a-1", providerRequestId: "chatcmpl-7"));
        using var client = new HelixChatClient(h.Pipeline, "chat");

        var response = await client.GetResponseAsync("Summarise the quarter.", cancellationToken: Ct);

        Assert.Equal("ok", response.Text);
        Assert.Equal(("chatcmpl-7", "a-1"), (response.ResponseId, response.ModelId));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((120L, 30L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(row.RequestId, response.AdditionalProperties!["helix.request_id"]);
        Assert.StartsWith("req_", row.RequestId, StringComparison.Ordinal);
        Assert.Equal("alpha/a-1", response.AdditionalProperties["helix.model"]);
        Assert.Equal(row.Model, response.AdditionalProperties["helix.model"]);
        Assert.Equal(row.CostUsd, response.AdditionalProperties["helix.cost_usd"]);
        Assert.Equal(A1Cost(120, 30), row.CostUsd);
        Assert.Equal(("chat", "in-process", AttemptStatus.Success, false), (row.Operation, row.Principal, row.Status, row.Streamed));
    }

    [Fact]
    public async Task GetResponseAsync_EachCall_GetsItsOwnRequestId()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");

        var first = await client.GetResponseAsync("one", cancellationToken: Ct);
        var second = await client.GetResponseAsync("two", cancellationToken: Ct);

        Assert.NotEqual(first.AdditionalProperties!["helix.request_id"], second.AdditionalProperties!["helix.request_id"]);
        Assert.Equal(h.Alpha.Calls.Select(c => c.RequestId), h.Store.Entries.Select(e => e.RequestId));
    }

    [Fact]
    public async Task GetResponseAsync_MessagesAndOptions_SendsThemMappedToTheProvider()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")];

        var response = await client.GetResponseAsync(messages, new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 64, ModelId = "ignored" }, Ct);

        var call = Assert.Single(h.Alpha.Calls);
        Assert.Equal(response.AdditionalProperties!["helix.request_id"], call.RequestId);
        Assert.Equal(
            """[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]""",
            call.Request.ToJsonObject()["messages"]!.ToJsonString());
        Assert.Equal(0.5f, call.Request.ToJsonObject()["temperature"]!.GetValue<float>());
        Assert.Equal(64, call.Request.ToJsonObject()["max_tokens"]!.GetValue<int>());
        Assert.False(call.Request.ToJsonObject().ContainsKey("stream"));
        Assert.False(call.Request.ToJsonObject().ContainsKey("model"));
        var estimate = ChatRequestEstimator.Estimate(call.Request);
        Assert.Equal(A1Cost(estimate.InputTokens, 64), Assert.Single(h.Store.Entries).EstimatedCostUsd);
    }

    [Fact]
    public async Task GetResponseAsync_UserInAdditionalProperties_LogsTheUserAndThePrincipal()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat", principal: "billing-service");
        var options = new ChatOptions { AdditionalProperties = new() { ["user"] = "user-7" } };

        await client.GetResponseAsync("Hi", options, Ct);

        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(("user-7", "billing-service"), (row.User, row.Principal));
        Assert.Equal("billing-service", client.Principal);
    }

    [Fact]
    public async Task GetResponseAsync_NoUserGiven_LogsNoUser()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");

        await client.GetResponseAsync("Hi", new ChatOptions { AdditionalProperties = new() { ["tenant"] = "t-1" } }, Ct);

        Assert.Null(Assert.Single(h.Store.Entries).User);
    }

    [Fact]
    public async Task GetResponseAsync_UnknownOperation_ThrowsWithTheStableCodeAndCallsNoProvider()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "translate");

        var error = await Assert.ThrowsAsync<HelixCallException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal("unknown_operation", error.Error.Code);
        Assert.Equal(404, error.Error.StatusCode);
        Assert.Equal(error.Error.Message, error.Message);
        Assert.Empty(h.Alpha.Calls);
        Assert.Empty(h.Store.Entries);
    }

    [Fact]
    public async Task GetResponseAsync_EveryModelFails_ThrowsUpstreamUnavailableAfterLoggingTheAttempts()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 0 });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());
        h.Beta.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());
        using var client = new HelixChatClient(h.Pipeline, "chat");

        var error = await Assert.ThrowsAsync<HelixCallException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal("upstream_unavailable", error.Error.Code);
        Assert.Contains("upstream overloaded", error.Message, StringComparison.Ordinal);
        Assert.Equal(["alpha/a-1", "beta/b-1"], h.Store.Entries.Select(e => e.Model));
        Assert.All(h.Store.Entries, e => Assert.Equal(AttemptStatus.Failed, e.Status));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ProviderStreams_YieldsTextThenUsageAndLogsOneRow()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");

        var updates = await ReadAllAsync(client.GetStreamingResponseAsync("Hi", new ChatOptions { MaxOutputTokens = 16 }, Ct));

        Assert.Equal(["Hello", " world", ""], updates.Select(u => u.Text));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        var usage = Assert.IsType<UsageContent>(Assert.Single(updates[^1].Contents)).Details;
        Assert.Equal((10L, 2L), (usage.InputTokenCount, usage.OutputTokenCount));
        var response = updates.ToChatResponse();
        Assert.Equal("Hello world", response.Text);
        Assert.Equal(10, response.Usage?.InputTokenCount);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((true, AttemptStatus.Success, CostStatus.Priced), (row.Streamed, row.Status, row.CostStatus));
        Assert.Equal(A1Cost(10, 2), row.CostUsd);
        var call = Assert.Single(h.Alpha.Calls);
        Assert.Equal(row.RequestId, call.RequestId);
        Assert.True(call.Request.ToJsonObject()["stream"]!.GetValue<bool>());
        Assert.True(call.Request.ToJsonObject()["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(16, call.Request.ToJsonObject()["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamBreaksMidway_ThrowsAfterTheYieldedUpdates()
    {
        await using var h = await CreateAsync();
        var stream = new FakeChatStream("Hel", "lo", " never") { FailWith = ServerError(), FailAfterChunks = 2 };
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        using var client = new HelixChatClient(h.Pipeline, "chat");
        var updates = new List<ChatResponseUpdate>();

        var error = await Assert.ThrowsAsync<HelixCallException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
            {
                updates.Add(update);
            }
        });

        Assert.Equal(["Hel", "lo"], updates.Select(u => u.Text));
        Assert.Equal("upstream_unavailable", error.Error.Code);
        Assert.Contains("alpha/a-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("upstream overloaded", error.Message, StringComparison.Ordinal);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "upstream_server_error"), (row.Status, row.ErrorCode));
        Assert.True(stream.IsDisposed);
        Assert.Empty(h.Beta.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnknownOperation_ThrowsBeforeAnyUpdate()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "translate");
        var updates = 0;

        var error = await Assert.ThrowsAsync<HelixCallException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
            {
                updates++;
            }
        });

        Assert.Equal("unknown_operation", error.Error.Code);
        Assert.Equal(0, updates);
        Assert.Empty(h.Store.Entries);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCallStreamedInPieces_YieldsOneParsedCallAfterTheUsage()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnStream = FakeChatProvider.Answer(new ScriptedChatStream(
            new UsageReport(new UsageMeters { InputTokens = 12, OutputTokens = 9 }, IsKnown: true),
            """{"id":"chatcmpl-3","model":"a-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Checking."}}]}""",
            """{"id":"chatcmpl-3","model":"a-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}""",
            """{"id":"chatcmpl-3","model":"a-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}""",
            """{"id":"chatcmpl-3","model":"a-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}""",
            """{"id":"chatcmpl-3","model":"a-1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"chatcmpl-3","model":"a-1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9}}"""));
        using var client = new HelixChatClient(h.Pipeline, "chat");

        var updates = await ReadAllAsync(client.GetStreamingResponseAsync("Weather in Paris?", cancellationToken: Ct));

        Assert.Equal(7, updates.Count);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        var last = updates[^1];
        Assert.Equal(("chatcmpl-3", "a-1"), (last.ResponseId, last.ModelId));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(last.Contents));
        Assert.Equal(("call_1", "get_weather", "Paris"), (call.CallId, call.Name, call.Arguments!["city"]?.ToString()));
        Assert.IsType<UsageContent>(Assert.Single(updates[^2].Contents));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("Checking.", response.Text);
        Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(A1Cost(12, 9), Assert.Single(h.Store.Entries).CostUsd);
    }

    [Fact]
    public async Task GetResponseAsync_NullMessages_Throws()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetResponseAsync((IEnumerable<ChatMessage>)null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync((IEnumerable<ChatMessage>)null!, cancellationToken: Ct))
            {
                Assert.Fail($"No update expected, got '{update.Text}'.");
            }
        });
    }

    [Fact]
    public async Task GetService_Metadata_NamesHelixAndTheOperation()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(("helix", "op:chat"), (metadata.ProviderName, metadata.DefaultModelId));
        Assert.Null(metadata.ProviderUri);
    }

    [Fact]
    public async Task GetService_OwnTypes_ReturnsItselfAndNullForOthersOrKeys()
    {
        await using var h = await CreateAsync();
        using var client = new HelixChatClient(h.Pipeline, "chat");

        Assert.Same(client, client.GetService<HelixChatClient>());
        Assert.Same(client, client.GetService<IChatClient>());
        Assert.Null(client.GetService<HelixChatClient>(serviceKey: "helix"));
        Assert.Null(client.GetService<ChatClientMetadata>(serviceKey: "helix"));
        Assert.Null(client.GetService<StringBuilder>());
        Assert.Throws<ArgumentNullException>(() => client.GetService(null!));
    }

    [Fact]
    public async Task Constructor_InvalidArguments_Throw()
    {
        await using var h = await CreateAsync();

        Assert.Throws<ArgumentNullException>(() => new HelixChatClient(null!, "chat"));
        Assert.Throws<ArgumentNullException>(() => new HelixChatClient(h.Pipeline, null!));
        Assert.Throws<ArgumentException>(() => new HelixChatClient(h.Pipeline, ""));
        Assert.Throws<ArgumentException>(() => new HelixChatClient(h.Pipeline, "  "));
        Assert.Equal("chat", new HelixChatClient(h.Pipeline, "chat").Operation);
    }

    [Fact]
    public void HelixCallException_NullError_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new HelixCallException(null!));
    }

    private static async Task<List<ChatResponseUpdate>> ReadAllAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        List<ChatResponseUpdate> all = [];
        await foreach (var update in updates)
        {
            all.Add(update);
        }

        return all;
    }
}
