using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Core.Feedback;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Fuzz;

/// <summary>
/// The newer admin endpoints (recommendations, experiments, savings, users, keys) and <c>POST /v1/feedback</c> fed
/// malformed JSON, wrong types, missing and extra fields, huge values and unknown ids, each one aimed at a single
/// field of an otherwise valid body: every answer is a 4xx in the documented shape, and the change history, the
/// recommendations, experiments, users, keys, approvals and the call's feedback are unchanged at the end.
/// </summary>
public sealed class IntelligenceFuzzTests : IClassFixture<GatewayFactory>
{
    private static readonly string[] s_badText =
        ["null", "1", "-1", "1e308", "true", "[]", "{}", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0007b\"", "\"\\ud800\"", $"\"{new string('x', 70_000)}\""];

    private static readonly string[] s_badNumbers =
        ["null", "\"1\"", "\"abc\"", "true", "[]", "{}", "-1", "0", "1e308", "-1e308", "2.5", "99999999999999999999999999999999", "7.9e28"];

    private static readonly string[] s_unknownIds =
        ["999999", "0", "-1", "abc", "1e3", "%20", "99999999999999999999999", "rec_x", "exp_unknown", "user:0", "user:x", new string('9', 400)];

    private readonly GatewayFactory _factory;

    public IntelligenceFuzzTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewerEndpoints_FedMalformedBodiesAndUnknownIds_Answer4xxInTheDocumentedShapeAndChangeNothing()
    {
        var admin = _factory.CreateAdminClient();
        using var call = await _factory.CreateClient().PostAsJsonAsync(
            "/v1/chat/completions", new { model = "op:chat", messages = new[] { new { role = "user", content = "seed" } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var requestId = call.Headers.GetValues("X-Helix-Request-Id").Single();
        using var proposed = await admin.PostAsJsonAsync(
            "/admin/api/recommendations", new { kind = "cache", operation = "chat", evidence = new { why = "fuzz seed" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var recommendation = (await JsonDocument.ParseAsync(await proposed.Content.ReadAsStreamAsync(Ct), cancellationToken: Ct)).RootElement.GetProperty("id").GetString()!;

        var before = await SnapshotAsync(requestId);
        var sent = 0;
        var failures = new List<string>();
        foreach (var (method, path, body) in Requests(recommendation, requestId))
        {
            sent++;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                request.Content.Headers.ContentType = new("application/json");
            }

            var client = path.StartsWith("/admin/", StringComparison.Ordinal) ? admin : _factory.CreateClient();
            using var response = await client.SendAsync(request, Ct);
            if (await ProblemWithAsync(response, path) is { } problem)
            {
                failures.Add($"{method} {Shorten(path)} {Shorten(body ?? "")}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests broke the contract:\n" + string.Join("\n", failures.Take(60)));
        Assert.True(sent > 300, $"Only {sent} requests were sent.");
        Assert.Equal(before, await SnapshotAsync(requestId));
    }

    private static IEnumerable<(string Method, string Path, string? Body)> Requests(string recommendation, string requestId)
    {
        // Recommendations: each field of a valid proposal made wrong, missing or joined by an unknown one.
        const string evidence = "{\"why\":\"fuzz\"}";
        foreach (var value in s_badText.Append("\"teleport\""))
        {
            yield return ("POST", "/admin/api/recommendations", $"{{\"kind\":{value},\"operation\":\"chat\",\"evidence\":{evidence}}}");
            yield return ("POST", "/admin/api/recommendations", $"{{\"kind\":\"cache\",\"operation\":{value},\"evidence\":{evidence}}}");
            yield return ("POST", "/admin/api/recommendations", $"{{\"kind\":\"model_change\",\"operation\":\"chat\",\"model\":{value},\"evidence\":{evidence}}}");
        }

        foreach (var value in (string[])["null", "1", "\"x\"", "[]", "[{}]", "true", $"{{\"pad\":\"{new string('e', 70_000)}\"}}"])
        {
            yield return ("POST", "/admin/api/recommendations", $"{{\"kind\":\"cache\",\"operation\":\"chat\",\"evidence\":{value}}}");
        }

        yield return ("POST", "/admin/api/recommendations", "{\"kind\":\"cache\",\"evidence\":{}}");
        yield return ("POST", "/admin/api/recommendations", "{\"operation\":\"chat\",\"evidence\":{}}");
        yield return ("POST", "/admin/api/recommendations", "{\"kind\":\"cache\",\"operation\":\"no-such-operation\",\"evidence\":{}}");
        yield return ("POST", "/admin/api/recommendations", "{\"kind\":\"model_change\",\"operation\":\"chat\",\"model\":\"no/such-model\",\"evidence\":{}}");
        yield return ("POST", "/admin/api/recommendations", $"{{\"kind\":\"cache\",\"operation\":\"chat\",\"evidence\":{evidence},\"status\":\"applied\"}}");
        yield return ("POST", "/admin/api/recommendations", $"{{\"kind\":\"cache\",\"operation\":\"chat\",\"evidence\":{evidence},\"kind\":\"cap\"}}");
        foreach (var body in Malformed())
        {
            yield return ("POST", "/admin/api/recommendations", body);
            yield return ("POST", $"/admin/api/recommendations/{recommendation}/dismiss", body);
            yield return ("POST", "/admin/api/experiments", body);
            yield return ("POST", "/admin/api/experiments/exp_unknown/stop", body);
            yield return ("POST", "/admin/api/savings", body);
            yield return ("POST", "/admin/api/users", body);
            yield return ("POST", "/admin/api/keys", body);
            yield return ("POST", "/v1/feedback", body);
        }

        foreach (var value in s_badText.Where(v => v is not ("\"\\u0000\"" or "\"a\\u0007b\"" or "\"\\ud800\"")).Append("\"" + new string('r', 1001) + "\""))
        {
            yield return ("POST", $"/admin/api/recommendations/{recommendation}/dismiss", $"{{\"reason\":{value}}}");
        }

        yield return ("POST", $"/admin/api/recommendations/{recommendation}/dismiss", "{\"reason\":\"ok\",\"extra\":1}");
        foreach (var id in s_unknownIds)
        {
            yield return ("POST", $"/admin/api/recommendations/{id}/apply", null);
            yield return ("POST", $"/admin/api/recommendations/{id}/dismiss", "{\"reason\":\"unknown\"}");
            yield return ("POST", $"/admin/api/experiments/{id}/stop", "{\"reason\":\"unknown\"}");
            yield return ("POST", $"/admin/api/experiments/{id}/evaluate", null);
            yield return ("GET", $"/admin/api/experiments/{id}", null);
            yield return ("DELETE", $"/admin/api/users/{id}", null);
            yield return ("DELETE", $"/admin/api/keys/{id}", null);
        }

        // Experiments: each part of a valid start made wrong.
        const string candidates = "[{\"model\":\"gemini/gemini-2.5-flash-lite\",\"share\":\"0.5\"}]";
        foreach (var value in s_badText)
        {
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":{value},\"candidates\":{candidates}}}");
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"controlModel\":{(value == "null" ? "1" : value)},\"candidates\":{candidates}}}");
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":[{{\"model\":{value},\"share\":\"0.5\"}}]}}");
        }

        foreach (var value in s_badNumbers.Append("\"1.5\"").Append("\"-0.5\"").Append("\"0\""))
        {
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":[{{\"model\":\"gemini/gemini-2.5-flash-lite\",\"share\":{value}}}]}}");
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":{candidates},\"guardrails\":{{\"alpha\":{value}}}}}");
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":{candidates},\"guardrails\":{{\"minCallsPerArm\":{value}}}}}");
        }

        foreach (var value in (string[])["null", "[]", "{}", "[1]", "[null]", "\"x\"", $"[{string.Join(',', Enumerable.Repeat("{\"model\":\"gemini/gemini-2.5-flash-lite\",\"share\":\"0.01\"}", 200))}]"])
        {
            yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":{value}}}");
        }

        yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"no-such-operation\",\"candidates\":{candidates}}}");
        yield return ("POST", "/admin/api/experiments", "{\"operation\":\"chat\",\"candidates\":[{\"model\":\"no/such-model\",\"share\":\"0.5\"}]}");
        yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":{candidates},\"guardrails\":{{\"nope\":1}}}}");
        yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":{candidates},\"extra\":true}}");
        yield return ("POST", "/admin/api/experiments", $"{{\"operation\":\"chat\",\"candidates\":[{{\"model\":\"gemini/gemini-2.5-flash-lite\",\"share\":\"0.5\",\"extra\":1}}]}}");

        // Savings: the query and the body. (An operation with no route is replayed from its log rows by design: a 200, not listed.)
        foreach (var value in s_badNumbers.Where(v => v != "null"))
        {
            yield return ("POST", "/admin/api/savings", $"{{\"operation\":\"chat\",\"model\":\"gemini/gemini-2.5-flash-lite\",\"days\":{value}}}");
            yield return ("GET", $"/admin/api/savings?operation=chat&model=gemini/gemini-2.5-flash-lite&days={Uri.EscapeDataString(value)}", null);
        }

        foreach (var value in s_badText.Where(v => v != "null"))
        {
            yield return ("POST", "/admin/api/savings", $"{{\"operation\":{value},\"model\":\"gemini/gemini-2.5-flash-lite\"}}");
            yield return ("POST", "/admin/api/savings", $"{{\"operation\":\"chat\",\"model\":{value}}}");
            yield return ("POST", "/admin/api/savings", $"{{\"changes\":[{{\"operation\":\"chat\",\"model\":\"gemini/gemini-2.5-flash-lite\",\"serviceTier\":{value}}}]}}");
        }

        foreach (var value in (string[])["null", "[]", "{}", "[1]", "\"x\"", $"[{string.Join(',', Enumerable.Repeat("{\"operation\":\"chat\",\"model\":\"gemini/gemini-2.5-flash-lite\"}", 101))}]"])
        {
            yield return ("POST", "/admin/api/savings", $"{{\"changes\":{value}}}");
        }

        yield return ("POST", "/admin/api/savings", "{\"operation\":\"chat\",\"model\":\"gemini/gemini-2.5-flash-lite\",\"extra\":1}");
        yield return ("POST", "/admin/api/savings", "{\"operation\":\"chat\",\"model\":\"no/such-model\"}");
        yield return ("POST", "/admin/api/savings?format=xml", "{\"operation\":\"chat\",\"model\":\"gemini/gemini-2.5-flash-lite\"}");
        yield return ("GET", "/admin/api/savings", null);
        yield return ("GET", "/admin/api/savings?operation=chat", null);
        yield return ("GET", "/admin/api/savings?operation=Bad%20Name&model=gemini/gemini-2.5-flash-lite", null);
        yield return ("GET", "/admin/api/savings?operation=chat&model=no/such-model", null);
        yield return ("GET", "/admin/api/savings?operation=chat&model=gemini/gemini-2.5-flash-lite&format=xml", null);

        // Users and keys: each field wrong, an unknown one, a duplicate.
        const string password = "\"correct-horse-battery\"";
        foreach (var value in s_badText)
        {
            yield return ("POST", "/admin/api/users", $"{{\"name\":{value},\"role\":\"viewer\",\"password\":{password}}}");
            yield return ("POST", "/admin/api/users", $"{{\"name\":\"fuzz-user\",\"role\":{value},\"password\":{password}}}");
            yield return ("POST", "/admin/api/users", $"{{\"name\":\"fuzz-user\",\"role\":\"viewer\",\"password\":{value}}}");
            yield return ("POST", "/admin/api/keys", $"{{\"name\":{value},\"role\":\"app\"}}");
            yield return ("POST", "/admin/api/keys", $"{{\"name\":\"fuzz-key\",\"role\":{value}}}");
            yield return ("POST", "/admin/api/keys", $"{{\"name\":\"fuzz-key\",\"role\":\"app\",\"operations\":[{value}]}}");
        }

        foreach (var value in s_badNumbers.Where(v => v != "null"))
        {
            yield return ("POST", "/admin/api/keys", $"{{\"name\":\"fuzz-key\",\"role\":\"app\",\"requestsPerMinute\":{value}}}");
        }

        yield return ("POST", "/admin/api/users", "{\"name\":\"fuzz-user\",\"role\":\"viewer\",\"password\":\"short\"}");
        yield return ("POST", "/admin/api/users", $"{{\"name\":\"fuzz-user\",\"role\":\"viewer\",\"password\":{password},\"admin\":true}}");
        yield return ("POST", "/admin/api/users", $"{{\"name\":\"fuzz-user\",\"role\":\"viewer\",\"password\":{password},\"role\":\"admin\"}}");
        yield return ("POST", "/admin/api/keys", "{\"name\":\"fuzz-key\",\"role\":\"app\",\"extra\":1}");
        yield return ("POST", "/admin/api/keys", "{\"name\":\"fuzz-key\",\"role\":\"app\",\"role\":\"admin\"}");
        yield return ("POST", "/admin/api/keys", "{\"name\":\"fuzz-key\",\"role\":\"viewer\",\"operations\":[\"chat\"]}");
        yield return ("POST", "/admin/api/keys", $"{{\"name\":\"fuzz-key\",\"role\":\"app\",\"operations\":[{string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"op{i}\""))}]}}");

        // Feedback on a real call: each field wrong, an unknown request id, an unknown field.
        foreach (var value in s_badNumbers.Where(v => v is not ("-1" or "0" or "2.5")).Append("5.5").Append("-2").Append("-1.01"))
        {
            yield return ("POST", "/v1/feedback", $"{{\"request_id\":\"{requestId}\",\"score\":{value}}}");
        }

        foreach (var value in s_badText.Where(v => v != "null"))
        {
            yield return ("POST", "/v1/feedback", $"{{\"request_id\":{value},\"score\":1}}");
            if (value is not ("\"\"" or "\" \""))
            {
                yield return ("POST", "/v1/feedback", $"{{\"request_id\":\"{requestId}\",\"score\":1,\"comment\":{value}}}");
            }
        }

        yield return ("POST", "/v1/feedback", "{\"request_id\":\"no-such-request\",\"score\":1}");
        yield return ("POST", "/v1/feedback", $"{{\"score\":1}}");
        yield return ("POST", "/v1/feedback", $"{{\"request_id\":\"{requestId}\"}}");
        yield return ("POST", "/v1/feedback", $"{{\"request_id\":\"{requestId}\",\"score\":1,\"extra\":1}}");
        yield return ("POST", "/v1/feedback", $"{{\"request_id\":\"{requestId}\",\"score\":1,\"score\":5}}");
    }

    private static IEnumerable<string> Malformed() =>
        ["", "null", "[]", "1", "\"x\"", "{", "{}}", "{\"a\":\"\\ud800\"}", "{\"a\u0000\":1}", new string('[', 5000), "{\"a\":" + new string('9', 400) + "}",
            "{\"pad\":\"" + new string('x', 70_000) + "\"}"];

    // A 4xx in the documented shape, nothing else: none of these requests is valid.
    private static async Task<string?> ProblemWithAsync(HttpResponseMessage response, string path) =>
        (int)response.StatusCode is < 400 or >= 500
            ? $"answered {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync(Ct))}"
            : await FuzzTests.ProblemWithAsync(response, path);

    private async Task<string> SnapshotAsync(string requestId)
    {
        var admin = _factory.CreateAdminClient();
        var feedback = await _factory.Services.GetRequiredService<IFeedbackStore>().ListAsync(requestId, Ct);
        var parts = new[]
        {
            await admin.GetStringAsync("/admin/api/audit?limit=1000", Ct),
            await admin.GetStringAsync("/admin/api/recommendations", Ct),
            await admin.GetStringAsync("/admin/api/experiments", Ct),
            await admin.GetStringAsync("/admin/api/users", Ct),
            await admin.GetStringAsync("/admin/api/keys", Ct),
            await admin.GetStringAsync("/admin/api/approvals", Ct),
            await admin.GetStringAsync("/admin/api/routes", Ct),
            $"feedback:{feedback.Count}",
        };
        return string.Join("\n", parts);
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
