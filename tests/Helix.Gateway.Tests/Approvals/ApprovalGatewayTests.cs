using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Core.Audit;
using Helix.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Approvals;

/// <summary>
/// The approval flow end to end through the real gateway and the simulator: request → 403 with id → a human decides
/// → the retry succeeds once → a second retry is refused. The requester is the data plane's caller (anonymous until
/// application keys exist); the decider comes from <see cref="CreateDeciderAsync"/>.
/// </summary>
public sealed class ApprovalGatewayTests : IClassFixture<GatewayFactory>
{
    private const string ChatBody = """{"model":"op:OPERATION","max_tokens":16,"messages":[{"role":"user","content":"Pay the supplier invoice 42."}]}""";

    private readonly GatewayFactory _factory;
    private readonly HttpClient _http;
    private readonly HttpClient _admin;

    public ApprovalGatewayTests(GatewayFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
        _admin = factory.CreateAdminClient();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Who decides: the bootstrap admin for now. Once operator keys exist (POST /admin/api/keys with role operator),
    /// create one here and return a client bearing it; the tests then run as an operator unchanged.
    /// </summary>
    private Task<HttpClient> CreateDeciderAsync() => Task.FromResult(_admin);

    [Fact]
    public async Task EndToEnd_RequestApproveRetryOnce_SecondRetryRefused()
    {
        var operation = await CreateOperationAsync(new { policy = "always" });
        var body = ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal);

        using var asked = await PostChatAsync(body);
        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        var error = (await Json.ReadAsync(asked)).GetProperty("error");
        Assert.Equal("approval_required", error.GetProperty("code").GetString());
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Contains("X-Helix-Approval", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var id = error.GetProperty("approval_id").GetString()!;
        Assert.StartsWith("apr_", id, StringComparison.Ordinal);
        Assert.Equal($"/admin/api/approvals/{id}", error.GetProperty("status_url").GetString());
        var expires = DateTimeOffset.Parse(error.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expires - _factory.Services.GetRequiredService<TimeProvider>().GetUtcNow(), TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.True(decimal.Parse(error.GetProperty("estimated_cost_usd").GetString()!, CultureInfo.InvariantCulture) > 0m);
        Assert.Empty(await Json.LogsAsync(_admin, $"operation={operation}"));

        var pending = await GetApprovalAsync(id);
        Assert.Equal(("pending", operation, "anonymous"), (pending.GetProperty("status").GetString(), pending.GetProperty("operation").GetString(), pending.GetProperty("principalId").GetString()));

        var decider = await CreateDeciderAsync();
        using var approved = await decider.PostAsync($"/admin/api/approvals/{id}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", (await Json.ReadAsync(approved)).GetProperty("status").GetString());

        using var retry = await PostChatAsync(body, id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(operation, retry.Headers.GetValues("X-Helix-Operation").Single());
        Assert.Single(await Json.LogsAsync(_admin, $"operation={operation}"));

        using var again = await PostChatAsync(body, id);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal("approval_consumed", (await Json.ReadAsync(again)).GetProperty("error").GetProperty("code").GetString());
        Assert.Single(await Json.LogsAsync(_admin, $"operation={operation}"));
        Assert.Equal("consumed", (await GetApprovalAsync(id)).GetProperty("status").GetString());

        var history = await _factory.Services.GetRequiredService<IChangeHistory>().ListAsync(10, target: id, cancellationToken: Ct);
        var entry = Assert.Single(history);
        Assert.Equal(("approval.approve", "bootstrap-admin"), (entry.Change.Action, entry.Change.ActorId));
        Assert.Contains("\"status\":\"pending\"", entry.Change.Before, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"approved\"", entry.Change.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_AnotherBody_RefusedAsMismatch()
    {
        var operation = await CreateOperationAsync(new { policy = "always" });
        var body = ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal);
        var id = await AskAsync(body);
        using var approved = await (await CreateDeciderAsync()).PostAsync($"/admin/api/approvals/{id}/approve", null, Ct);
        approved.EnsureSuccessStatusCode();

        // One space more: the same JSON to a parser, other bytes to the hash.
        using var other = await PostChatAsync(body.Replace("\"max_tokens\":16", "\"max_tokens\": 16", StringComparison.Ordinal), id);

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("approval_mismatch", (await Json.ReadAsync(other)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("approved", (await GetApprovalAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reject_NeedsAReason_ThenTheRetryStaysRejected()
    {
        var operation = await CreateOperationAsync(new { policy = "always" });
        var body = ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal);
        var id = await AskAsync(body);
        var decider = await CreateDeciderAsync();

        using var noReason = await decider.PostAsync($"/admin/api/approvals/{id}/reject", JsonContent.Create(new { }), Ct);
        using var unknownField = await decider.PostAsync($"/admin/api/approvals/{id}/reject", JsonContent.Create(new { reason = "x", extra = 1 }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal("pending", (await GetApprovalAsync(id)).GetProperty("status").GetString());

        using var rejected = await decider.PostAsync($"/admin/api/approvals/{id}/reject", JsonContent.Create(new { reason = "Invoice 42 was paid yesterday." }), Ct);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        using var approveLater = await decider.PostAsync($"/admin/api/approvals/{id}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, approveLater.StatusCode);

        for (var i = 0; i < 2; i++)
        {
            using var retry = await PostChatAsync(body, id);
            Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
            var error = (await Json.ReadAsync(retry)).GetProperty("error");
            Assert.Equal("approval_rejected", error.GetProperty("code").GetString());
            Assert.Contains("Invoice 42 was paid yesterday.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(await Json.LogsAsync(_admin, $"operation={operation}"));
        var rejectedList = await Json.ReadAsync(await _admin.GetAsync("/admin/api/approvals?status=rejected", Ct));
        Assert.Contains(rejectedList.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Wait_HeldUntilApproved_ThenServed()
    {
        var operation = await CreateOperationAsync(new { policy = "always" });
        var body = ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal);

        var call = PostChatAsync(body, wait: 30);
        var id = await WaitForPendingAsync(operation);
        using var approved = await (await CreateDeciderAsync()).PostAsync($"/admin/api/approvals/{id}/approve", null, Ct);
        using var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("consumed", (await GetApprovalAsync(id)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("X-Helix-Approval-Wait", "61")]
    [InlineData("X-Helix-Approval-Wait", "-1")]
    [InlineData("X-Helix-Approval-Wait", "soon")]
    [InlineData("X-Helix-Approval", "apr id with spaces")]
    public async Task Headers_BadValues_400BeforeAnythingIsStored(string header, string value)
    {
        var operation = await CreateOperationAsync(new { policy = "always" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await _http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await Json.ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(await ListAsync(), a => a.GetProperty("operation").GetString() == operation);
    }

    [Fact]
    public async Task Embeddings_AboveAThreshold_HeldThenServedOnce()
    {
        var operation = await CreateOperationAsync(new { policy = "above", thresholdUsd = "0" }, modelOf: "embeddings");
        var body = $$"""{"model":"op:{{operation}}","input":"the quarterly report"}""";

        using var asked = await PostAsync("/v1/embeddings", body);
        var id = (await Json.ReadAsync(asked)).GetProperty("error").GetProperty("approval_id").GetString()!;
        using var approved = await (await CreateDeciderAsync()).PostAsync($"/admin/api/approvals/{id}/approve", null, Ct);
        using var retry = await PostAsync("/v1/embeddings", body, id);
        using var again = await PostAsync("/v1/embeddings", body, id);

        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
    }

    [Fact]
    public async Task Transcription_Multipart_BoundToTheRawFormBytes()
    {
        var operation = await CreateOperationAsync(new { policy = "always" }, modelOf: "audio-transcription");
        var wav = TestAudio.WavSeconds(1);
        using var first = await PostTranscriptionAsync(operation, wav, boundary: "b1");
        var id = (await Json.ReadAsync(first)).GetProperty("error").GetProperty("approval_id").GetString()!;
        using var approved = await (await CreateDeciderAsync()).PostAsync($"/admin/api/approvals/{id}/approve", null, Ct);

        using var otherBytes = await PostTranscriptionAsync(operation, wav, boundary: "b2", approvalId: id);
        using var same = await PostTranscriptionAsync(operation, wav, boundary: "b1", approvalId: id);

        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Equal("approval_mismatch", (await Json.ReadAsync(otherBytes)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task Routes_ShowAndValidateTheApprovalPolicy_AndAnnounceRequests()
    {
        var operation = await CreateOperationAsync(new { policy = "above", thresholdUsd = "0.50" }, moneyMoving: true);

        var routes = await Json.ReadAsync(await _admin.GetAsync("/admin/api/routes", Ct));
        var approval = routes.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("operation").GetString() == operation).GetProperty("approval");
        Assert.Equal(("above", "0.5", true), (approval.GetProperty("policy").GetString(), approval.GetProperty("thresholdUsd").GetString(), approval.GetProperty("moneyMoving").GetBoolean()));

        foreach (var bad in new object[] { new { policy = "sometimes" }, new { policy = "above" }, new { policy = "above", thresholdUsd = "-1" }, new { policy = "always", thresholdUsd = "1" } })
        {
            using var refused = await _admin.PutAsJsonAsync($"/admin/api/routes/{operation}", new { approval = bad }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var moneyMoving = await _admin.PutAsJsonAsync($"/admin/api/routes/{operation}", new { approval = new { policy = "money-moving" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, moneyMoving.StatusCode);
        var id = await AskAsync(ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal));

        var history = await _factory.Services.GetRequiredService<IChangeHistory>().ListAsync(10, target: operation, cancellationToken: Ct);
        Assert.Equal(2, history.Count(e => e.Change.Action == "route.update"));
        var alert = await WaitForAlertAsync(id);
        Assert.Equal(operation, alert.GetProperty("subject").GetString());
    }

    private async Task<string> CreateOperationAsync(object approval, string modelOf = "chat", bool? moneyMoving = null)
    {
        var routes = await Json.ReadAsync(await _admin.GetAsync("/admin/api/routes", Ct));
        var template = routes.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("operation").GetString() == modelOf);
        var operation = $"approve-{Guid.NewGuid():N}"[..24];
        using var created = await _admin.PostAsJsonAsync("/admin/api/routes", new { operation, primaryModel = template.GetProperty("primaryModel").GetString() }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var put = await _admin.PutAsJsonAsync($"/admin/api/routes/{operation}", new { approval, moneyMoving }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return operation;
    }

    private async Task<string> AskAsync(string body)
    {
        using var asked = await PostChatAsync(body);
        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        return (await Json.ReadAsync(asked)).GetProperty("error").GetProperty("approval_id").GetString()!;
    }

    private Task<HttpResponseMessage> PostChatAsync(string body, string? approvalId = null, int? wait = null) =>
        PostAsync("/v1/chat/completions", body, approvalId, wait);

    private async Task<HttpResponseMessage> PostAsync(string path, string body, string? approvalId = null, int? wait = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (approvalId is not null)
        {
            request.Headers.Add("X-Helix-Approval", approvalId);
        }

        if (wait is not null)
        {
            request.Headers.Add("X-Helix-Approval-Wait", wait.Value.ToString(CultureInfo.InvariantCulture));
        }

        return await _http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> PostTranscriptionAsync(string operation, byte[] wav, string boundary, string? approvalId = null)
    {
        using var form = new MultipartFormDataContent(boundary);
        var file = new ByteArrayContent(wav);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse("audio/wav");
        form.Add(file, "file", "meeting.wav");
        form.Add(new StringContent($"op:{operation}"), "model");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/transcriptions") { Content = form };
        if (approvalId is not null)
        {
            request.Headers.Add("X-Helix-Approval", approvalId);
        }

        return await _http.SendAsync(request, Ct);
    }

    private async Task<JsonElement> GetApprovalAsync(string id)
    {
        using var response = await _admin.GetAsync($"/admin/api/approvals/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private async Task<JsonElement[]> ListAsync(string query = "")
    {
        using var response = await _admin.GetAsync($"/admin/api/approvals{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await Json.ReadAsync(response)).GetProperty("items").EnumerateArray()];
    }

    private async Task<string> WaitForPendingAsync(string operation)
    {
        for (var i = 0; i < 500; i++)
        {
            var pending = (await ListAsync("?status=pending")).FirstOrDefault(a => a.GetProperty("operation").GetString() == operation);
            if (pending.ValueKind == JsonValueKind.Object)
            {
                return pending.GetProperty("id").GetString()!;
            }

            await Task.Delay(10, Ct);
        }

        throw new TimeoutException($"No pending approval for {operation}.");
    }

    private async Task<JsonElement> WaitForAlertAsync(string approvalId)
    {
        for (var i = 0; i < 500; i++)
        {
            var alerts = await Json.ReadAsync(await _admin.GetAsync("/admin/api/alerts", Ct));
            var alert = alerts.GetProperty("items").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("type").GetString() == "approval_requested" && a.GetProperty("message").GetString()!.Contains(approvalId, StringComparison.Ordinal));
            if (alert.ValueKind == JsonValueKind.Object)
            {
                return alert;
            }

            await Task.Delay(10, Ct);
        }

        throw new TimeoutException($"No approval_requested alert for {approvalId}.");
    }
}
