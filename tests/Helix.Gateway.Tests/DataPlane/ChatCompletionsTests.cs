using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Simulator;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Xunit;
using ChatMessage = OpenAI.Chat.ChatMessage;

namespace Helix.Gateway.Tests.DataPlane;

public sealed class ChatCompletionsTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public ChatCompletionsTests(GatewayFactory factory)
    {
        _factory = factory;
        _factory.Simulator.Reset();
    }

    private ChatClient SdkClient(string model = "op:chat")
    {
        var http = _factory.CreateClient();
        return new ChatClient(model, new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
    }

    [Fact]
    public async Task OpenAISdk_NonStreaming_ReturnsTextUsageAndCostThatTheLogRecords()
    {
        var client = SdkClient();

        var result = await client.CompleteChatAsync([new UserChatMessage("Say hello to Helix.")], cancellationToken: TestContext.Current.CancellationToken);

        var completion = result.Value;
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("X-Helix-Cost-Usd", out var cost));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Request-Id", out var requestId));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Model", out var model));
        Assert.Equal("deepseek/deepseek-v4-flash", model);
        Assert.True(decimal.Parse(cost!, System.Globalization.CultureInfo.InvariantCulture) > 0m);
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal(cost, row.GetProperty("costUsd").GetString());
        Assert.Equal("success", row.GetProperty("status").GetString());
        Assert.Equal("chat", row.GetProperty("operation").GetString());
        Assert.Equal(completion.Usage.OutputTokenCount, row.GetProperty("completionTokens").GetInt64());
    }

    [Fact]
    public async Task OpenAISdk_Streaming_ReturnsTextAndUsageAndTheLogHasTheStreamCost()
    {
        var client = SdkClient();
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Stream a greeting.")], cancellationToken: TestContext.Current.CancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.NotEqual(0, text.Length);
        Assert.NotNull(usage);
        var rows = await Json.LogsAsync(_factory.CreateAdminClient());
        var row = rows.First(r => r.GetProperty("streamed").GetBoolean());
        Assert.Equal("priced", row.GetProperty("costStatus").GetString());
        Assert.Equal(usage.OutputTokenCount, row.GetProperty("completionTokens").GetInt64());
        Assert.True(decimal.Parse(row.GetProperty("costUsd").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0m);
    }

    [Fact]
    public async Task RawStream_WithIncludeUsage_FinalChunkCarriesTheSameCostAsTheLog()
    {
        var http = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = "op:chat",
                stream = true,
                stream_options = new { include_usage = true },
                messages = new[] { new { role = "user", content = "Count to five." } },
                unknown_vendor_field = new { kept = true },
            }),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToArray();
        Assert.Equal("[DONE]", events[^1]);
        var usageChunk = JsonDocument.Parse(events[^2]).RootElement;
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var cost = usageChunk.GetProperty("helix").GetProperty("cost_usd").GetString();
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal(cost, row.GetProperty("costUsd").GetString());
        Assert.Equal(usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt64(), row.GetProperty("completionTokens").GetInt64());
    }

    [Fact]
    public async Task RawStream_WithoutIncludeUsage_SendsNoUsageChunkButStillLogsTheCost()
    {
        var http = _factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            stream = true,
            messages = new[] { new { role = "user", content = "Hello" } },
        }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("\"choices\":[]", body, StringComparison.Ordinal);
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal("priced", row.GetProperty("costStatus").GetString());
        Assert.True(row.GetProperty("usageKnown").GetBoolean());
    }

    [Fact]
    public async Task MicrosoftExtensionsAIClient_Works_Unchanged()
    {
        var http = _factory.CreateClient();
        var openai = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
        IChatClient chat = openai.GetChatClient("op:email-drafting").AsIChatClient();

        var response = await chat.GetResponseAsync("Draft a two-line thank-you note.", cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage?.InputTokenCount > 0);
        var rows = await Json.LogsAsync(_factory.CreateAdminClient(), "operation=email-drafting&limit=10");
        Assert.Contains(rows, r => r.GetProperty("model").GetString() == "gemini/gemini-2.5-flash");
    }
}
