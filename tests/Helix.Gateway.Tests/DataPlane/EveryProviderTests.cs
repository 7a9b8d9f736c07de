using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>Every chat provider the gateway wires answers through the same endpoint, streamed and not, and is priced.</summary>
public sealed class EveryProviderTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public EveryProviderTests(GatewayFactory factory) => _factory = factory;

    [Theory]
    [InlineData("openai/gpt-4.1-mini", false)]
    [InlineData("openai/gpt-4.1-mini", true)]
    [InlineData("deepseek/deepseek-v4-pro", false)]
    [InlineData("deepseek/deepseek-v4-pro", true)]
    [InlineData("gemini/gemini-2.5-pro", false)]
    [InlineData("gemini/gemini-2.5-pro", true)]
    [InlineData("anthropic/claude-haiku-4-5", false)]
    [InlineData("anthropic/claude-haiku-4-5", true)]
    public async Task ChatCompletions_EachProvider_AnswersInTheOpenAIShapeAndIsPriced(string model, bool stream)
    {
        var operation = $"agent";
        var admin = _factory.CreateAdminClient();
        using var put = await admin.PutAsJsonAsync($"/admin/api/routes/{operation}", new { primaryModel = model, fallbackModels = Array.Empty<string>() }, TestContext.Current.CancellationToken);
        put.EnsureSuccessStatusCode();

        using var response = await _factory.CreateClient().PostAsJsonAsync("/v1/chat/completions", new
        {
            model = $"op:{operation}",
            stream,
            stream_options = new { include_usage = true },
            max_tokens = 16,
            messages = new object[]
            {
                new { role = "system", content = "Answer briefly." },
                new { role = "user", content = "Name a colour." },
            },
        }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(model, response.Headers.GetValues("X-Helix-Model").Single());
        if (stream)
        {
            var last = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^2]["data: ".Length..];
            var usageChunk = JsonDocument.Parse(last).RootElement;
            Assert.True(usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt64() > 0);
            Assert.Equal("priced", usageChunk.GetProperty("helix").GetProperty("cost_status").GetString());
        }
        else
        {
            var completion = JsonDocument.Parse(body).RootElement;
            Assert.False(string.IsNullOrWhiteSpace(completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
            Assert.True(completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt64() > 0);
            Assert.Equal("priced", response.Headers.GetValues("X-Helix-Cost-Status").Single());
        }

        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = Assert.Single(await Json.LogsAsync(admin), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal(model, row.GetProperty("model").GetString());
        Assert.True(decimal.Parse(row.GetProperty("costUsd").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0m);
    }
}
