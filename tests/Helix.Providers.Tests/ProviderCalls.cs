using System.Text;
using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Core.Routing;
using Xunit;

namespace Helix.Providers.Tests;

/// <summary>Builds adapter calls and drains streams for the adapter tests.</summary>
internal static class ProviderCalls
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ChatCall Call(string provider, string providerModel, JsonObject request, string? requestId = "req_test_1") => new()
    {
        Model = new ModelConfig { Id = ModelConfig.IdOf(provider, providerModel), Provider = provider, ProviderModel = providerModel },
        Request = ChatRequest.FromJsonObject(request),
        RequestId = requestId,
    };

    public static JsonObject Chat(string text = "Summarise the call.") => new()
    {
        ["model"] = "op:chat",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    };

    public static async Task<List<StreamChunk>> DrainAsync(IChatCompletionStream stream, CancellationToken cancellationToken = default)
    {
        var chunks = new List<StreamChunk>();
        await foreach (var chunk in stream.ReadAsync(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    public static string Text(StreamChunk chunk) => Encoding.UTF8.GetString(chunk.Json.Span);

    public static JsonNode Json(StreamChunk chunk) => JsonNode.Parse(chunk.Json.Span)!;

    public static JsonNode Json(ReadOnlyMemory<byte> body) => JsonNode.Parse(body.Span)!;
}
