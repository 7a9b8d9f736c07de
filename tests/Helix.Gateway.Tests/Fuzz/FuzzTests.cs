using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Fuzz;

/// <summary>
/// Every <c>/v1</c> and <c>/admin/api</c> endpoint fed a seeded corpus of malformed, mistyped, oversized,
/// duplicated-key, invalid-UTF-8 and control-character inputs: no 5xx, every error in the documented shape (OpenAI's
/// on <c>/v1</c>, ProblemDetails on <c>/admin/api</c>), and the log, routes, prices, reconciliations and the
/// simulator's ledger unchanged at the end.
/// </summary>
/// <remarks>Deterministic: the random parts of the corpus come from a fixed seed. A few hundred requests in process, a few seconds.</remarks>
public sealed class FuzzTests : IClassFixture<GatewayFactory>
{
    private const int Seed = 20261204;
    private const int BodyLimit = 65_536;

    private static readonly string[] s_badStrings =
        ["1", "-1", "1e308", "true", "[]", "{}", "[null]", "\"\"", "\"\\u0000\"", "\"ctl\\u0007x\"", "\"\\ud800\"", $"\"{new string('x', 300)}\""];

    private static readonly string[] s_badStringArrays = ["\"x\"", "1", "{}", "[1]", "[null]", "[[]]", "true", "[\"\\u0000\"]", "[\"no/such-model\"]"];

    private static readonly string[] s_badDates =
        ["\"abc\"", "1", "true", "[]", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59-14:00\"", "\"2026-13-45T00:00:00Z\"", "\"\\u0000\""];

    private static readonly string[] s_badMessages =
    [
        "[1,2]", "[null]", "\"hi\"", "{}", "[]", "1", "[{\"role\":1,\"content\":\"hi\"}]", "[{\"role\":\"user\",\"content\":[1]}]",
        "[{\"role\":\"user\",\"content\":{}}]", "[{\"role\":\"user\",\"content\":[{\"type\":7}]}]", "[{\"role\":\"user\",\"role\":\"user\",\"content\":\"x\"}]",
    ];

    private static readonly (string Field, string[] Values)[] s_badChatFields =
    [
        ("max_tokens", ["-1", "0", "1e308", "\"abc\"", "true", "2.5"]),
        ("max_completion_tokens", ["-1", "{}"]),
        ("n", ["100000", "0", "\"1\""]),
        ("stream", ["\"yes\"", "1"]),
        ("stream_options", ["\"x\"", "{\"include_usage\":1}"]),
        ("tools", ["\"x\"", "[1]", "[{\"type\":1}]"]),
        ("temperature", ["3", "-1", "\"a\""]),
        ("top_p", ["2", "[]"]),
        ("stop", ["1", "[1]", "[\"a\",\"b\",\"c\",\"d\",\"e\"]"]),
        ("user", ["1", $"\"{new string('u', 300)}\"", "\"a\\u0007\""]),
        ("logit_bias", ["[]", "{\"1\":\"x\"}"]),
        ("response_format", ["\"json\"", "{}"]),
    ];

    private static readonly string[] s_queryValues =
        ["", "-1", "0", "1e308", "abc", "%00", "%C3%28", "%E2%80%AE", "%ED%A0%80", "1,2", "[]", "99999999999999999999", new string('q', 3000)];

    private readonly GatewayFactory _factory;

    public FuzzTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEndpoint_FedTheCorpus_AnswersNo5xxInTheDocumentedShapeAndChangesNothing()
    {
        var random = new Random(Seed);
        var before = await SnapshotAsync();
        var sent = 0;
        var failures = new List<string>();

        foreach (var (method, path, body) in Requests(random))
        {
            sent++;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            var client = path.StartsWith("/admin/", StringComparison.Ordinal) ? _factory.CreateAdminClient() : _factory.CreateClient();
            using var response = await client.SendAsync(request, Ct);
            if (await ProblemWithAsync(response, path) is { } problem)
            {
                failures.Add($"{method} {Shorten(path)} {Shorten(body is null ? "" : Encoding.UTF8.GetString(body))}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests broke the contract:\n" + string.Join("\n", failures.Take(40)));
        Assert.True(sent > 400, $"Only {sent} requests were sent.");
        Assert.Equal(before, await SnapshotAsync());
    }

    private static IEnumerable<(string Method, string Path, byte[]? Body)> Requests(Random random)
    {
        // The data plane: a valid call with one field at a time made invalid, then added fields of the wrong type.
        const string messages = "[{\"role\":\"user\",\"content\":\"fuzz\"}]";
        foreach (var value in s_badStrings)
        {
            yield return ("POST", "/v1/chat/completions", Utf8($"{{\"model\":{value},\"messages\":{messages}}}"));
        }

        foreach (var value in s_badMessages)
        {
            yield return ("POST", "/v1/chat/completions", Utf8($"{{\"model\":\"op:chat\",\"messages\":{value}}}"));
        }

        foreach (var (field, values) in s_badChatFields)
        {
            foreach (var value in values)
            {
                yield return ("POST", "/v1/chat/completions", Utf8($"{{\"model\":\"op:chat\",\"messages\":{messages},\"{field}\":{value}}}"));
            }
        }

        foreach (var body in GenericBodies(random))
        {
            yield return ("POST", "/v1/chat/completions", body);
        }

        foreach (var value in s_queryValues)
        {
            yield return ("GET", "/v1/models?limit=" + value, null);
        }

        // The admin API: every read with bad query and path values; every write with bad bodies.
        foreach (var value in s_queryValues)
        {
            yield return ("GET", $"/admin/api/logs?limit={value}", null);
            yield return ("GET", $"/admin/api/logs?cursor={value}", null);
            yield return ("GET", $"/admin/api/logs?operation={value}&user={value}", null);
            yield return ("GET", $"/admin/api/prices?provider={value}&model={value}", null);
            yield return ("GET", $"/admin/api/routes/{Segment(value)}/history", null);
            yield return ("GET", $"/admin/api/reconciliations/{Segment(value)}", null);
            yield return ("PUT", $"/admin/api/routes/{Segment(value)}", Utf8("{\"unknownPricePolicy\":\"flag\"}"));
            yield return ("POST", $"/admin/api/reconciliations?provider={value}&tolerance={value}", Utf8("{\"data\":[]}"));
            yield return ("POST", $"/admin/api/prices/import?format={value}&apply=true", Utf8("{}"));
        }

        foreach (var path in (string[])["/admin/api/routes", "/admin/api/models", "/admin/api/alerts", "/admin/api/reconciliations"])
        {
            yield return ("GET", path + "?x=%00", null);
        }

        foreach (var field in (string[])["primaryModel", "unknownPricePolicy"])
        {
            foreach (var value in s_badStrings)
            {
                yield return ("PUT", "/admin/api/routes/chat", Utf8($"{{\"{field}\":{value}}}"));
            }
        }

        foreach (var value in s_badStringArrays)
        {
            yield return ("PUT", "/admin/api/routes/chat", Utf8($"{{\"primaryModel\":\"deepseek/deepseek-v4-flash\",\"fallbackModels\":{value}}}"));
        }

        foreach (var (from, to) in s_badDates.Select(d => (d, "\"2026-12-01T00:00:00Z\"")).Concat(s_badDates.Select(d => ("\"2026-11-01T00:00:00Z\"", d))))
        {
            yield return ("POST", "/admin/api/logs/reprice", Utf8($"{{\"from\":{from},\"to\":{to}}}"));
        }

        const string price = "{\"source\":\"fuzz\",\"sourceDate\":\"2026-11-01\",\"rates\":{\"input\":1,\"output\":2}}";
        foreach (var model in (string[])["null", "1", "[]", "{\"provider\":1,\"model\":\"m\",\"prices\":[]}", $"{{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prices\":[null,{price}]}}"])
        {
            yield return ("PUT", "/admin/api/prices/overrides", Utf8($"{{\"models\":[{model}]}}"));
        }

        foreach (var rate in (string[])["-1", "7.9e28", "1e400", "\"abc\"", "null", "[]", "1000001"])
        {
            yield return ("PUT", "/admin/api/prices/overrides", Utf8(
                $"{{\"models\":[{{\"provider\":\"openai\",\"model\":\"gpt-4o\",\"prices\":[{{\"source\":\"fuzz\",\"sourceDate\":\"2026-11-01\",\"rates\":{{\"input\":1,\"output\":{rate}}},\"longContext\":{{\"thresholdPromptTokens\":-5,\"rates\":{{\"input\":1}}}}}}]}}]}}"));
            yield return ("POST", "/admin/api/prices/import?apply=true", Utf8(
                $"{{\"gpt-4o\":{{\"litellm_provider\":\"openai\",\"input_cost_per_token\":{rate},\"output_cost_per_token\":1e25}}}}"));
            yield return ("POST", "/admin/api/reconciliations?provider=openai", Utf8(
                $"{{\"data\":[{{\"start_time\":{rate},\"end_time\":{rate},\"results\":[{{\"amount\":{{\"value\":{rate}}}}}]}}]}}"));
        }

        foreach (var write in (string[])["PUT /admin/api/routes/chat", "PUT /admin/api/prices/overrides", "POST /admin/api/prices/import?apply=true",
            "POST /admin/api/logs/reprice", "POST /admin/api/reconciliations?provider=openai", "POST /admin/api/reconciliations?provider=gemini",
            "PUT /admin/api/budgets", "POST /admin/api/keys", "PUT /admin/api/toggles/fuzz-toggle", "POST /admin/api/approvals/apr_fuzz/reject",
            "POST /admin/api/experiments", "POST /admin/api/recommendations", "POST /admin/api/savings", "POST /admin/api/users", "POST /v1/feedback"])
        {
            var (method, path) = (write[..write.IndexOf(' ', StringComparison.Ordinal)], write[(write.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            foreach (var body in GenericBodies(random))
            {
                yield return (method, path, body);
            }
        }
    }

    // Malformed, duplicated-key, invalid-UTF-8, control-character, deeply nested, oversized and random bodies.
    private static IEnumerable<byte[]> GenericBodies(Random random)
    {
        foreach (var text in (string[])["", "null", "[]", "1", "\"x\"", "{", "{}}", "{\"a\":1,\"a\":2}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\\ud800\"}",
            "{\"a\":\"x\u0001y\"}", "{\"a\u0000\":1}", new string('[', 5000), "{\"a\":" + new string('9', 400) + "}"])
        {
            yield return Utf8(text);
        }

        yield return [.. "{\"a\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()];
        yield return [.. "{\"a\":\""u8.ToArray(), 0xED, 0xA0, 0x80, .. "\"}"u8.ToArray()];
        yield return [0xEF, 0xBB, 0xBF, .. "{\"model\":\"op:chat\"}"u8.ToArray()];
        yield return Utf8("{\"pad\":\"" + new string('x', BodyLimit + 10) + "\"}");
        for (var i = 0; i < 6; i++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            yield return bytes;
        }
    }

    /// <summary>What is wrong with an answer: a 5xx, or a 4xx not in the documented shape of its path; <see langword="null"/> when nothing is.</summary>
    internal static async Task<string?> ProblemWithAsync(HttpResponseMessage response, string path)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"answered {status}";
        }

        if (status < 400)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(Ct);
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: '{Shorten(text)}'";
        }

        if (path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return root.TryGetProperty("error", out var error)
                && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                && error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
                && error.TryGetProperty("param", out _)
                    ? null
                    : $"{status} not in the OpenAI error shape: {Shorten(text)}";
        }

        return response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && root.TryGetProperty("status", out var s) && s.GetInt32() == status
            && root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
                ? null
                : $"{status} not a ProblemDetails: {Shorten(text)}";
    }

    private async Task<string> SnapshotAsync()
    {
        var admin = _factory.CreateAdminClient();
        var parts = new[]
        {
            await admin.GetStringAsync("/admin/api/logs?limit=1000", Ct),
            await admin.GetStringAsync("/admin/api/routes", Ct),
            await admin.GetStringAsync("/admin/api/prices", Ct),
            await admin.GetStringAsync("/admin/api/reconciliations", Ct),
            $"ledger:{_factory.Simulator.Ledger.Count}",
        };
        return string.Join("\n", parts);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // The in-process server refuses a NUL in a path before the gateway sees it (Kestrel answers 400 itself).
    private static string Segment(string value) => value.Length == 0 ? "%20" : value.Replace("%00", "%01", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
