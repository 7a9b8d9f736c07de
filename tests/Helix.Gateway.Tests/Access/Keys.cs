using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Helix.Gateway.Tests.Access;

/// <summary>Creates keys through the admin API and calls the gateway with them.</summary>
internal static class Keys
{
    public sealed record Created(string Id, string Key, JsonElement Body);

    public static async Task<Created> CreateAsync(HttpClient admin, string name, string role, string[]? operations = null, int? requestsPerMinute = null)
    {
        var body = new JsonObject { ["name"] = name, ["role"] = role };
        if (operations is not null)
        {
            body["operations"] = new JsonArray([.. operations.Select(o => JsonValue.Create(o))]);
        }

        if (requestsPerMinute is { } rpm)
        {
            body["requestsPerMinute"] = rpm;
        }

        using var response = await admin.PostAsJsonAsync("/admin/api/keys", body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json.ReadAsync(response);
        return new Created(created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!, created);
    }

    public static HttpClient Client(GatewayFactory factory, string? key)
    {
        var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public static JsonObject Chat(string operation = "chat") => new()
    {
        ["model"] = $"op:{operation}",
        ["max_tokens"] = 8,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }),
    };

    public static Task<HttpResponseMessage> ChatAsync(HttpClient client, string operation = "chat") =>
        client.PostAsJsonAsync("/v1/chat/completions", Chat(operation), TestContext.Current.CancellationToken);

    /// <summary>Asserts an OpenAI-shaped error with <paramref name="code"/> and returns its message.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        return error.GetProperty("message").GetString()!;
    }
}
