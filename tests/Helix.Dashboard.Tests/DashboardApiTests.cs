using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.Accounts;
using Helix.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>The HTTP edges the dashboard brought: /v1/feedback, /admin/api/users, and the unchanged data plane and admin API.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardApiTests(DashboardHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"score":1}""", "request_id")]
    [InlineData("""{"request_id":"x","score":6}""", "score")]
    [InlineData("""{"request_id":"x","score":-1.5}""", "score")]
    [InlineData("""{"request_id":"x","score":"5"}""", "score")]
    [InlineData("""{"request_id":"x","score":1,"comment":7}""", "comment")]
    [InlineData("""{"request_id":"x","score":1,"rating":3}""", "rating")]
    public async Task Feedback_BadBody_Is400InTheOpenAIShapeAndStoresNothing(string body, string param)
    {
        using var response = await host.Http.PostAsync(host.BaseUrl + "/v1/feedback", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("invalid_request", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Feedback_UnknownRequest_Is404AndAKnownOneIsStoredNormalised()
    {
        using var unknown = await host.Http.PostAsJsonAsync(host.BaseUrl + "/v1/feedback", new { request_id = "req_none", score = 1 }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("unknown_request", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var call = await host.Http.PostAsJsonAsync(host.BaseUrl + "/v1/chat/completions",
            new { model = "op:sentiment-analysis", messages = new[] { new { role = "user", content = "Great!" } }, max_tokens = 8 }, Ct);
        var requestId = call.Headers.GetValues("X-Helix-Request-Id").Single();
        using var rated = await host.Http.PostAsJsonAsync(host.BaseUrl + "/v1/feedback", new { request_id = requestId, score = 4, comment = "good" }, Ct);

        Assert.Equal(HttpStatusCode.Created, rated.StatusCode);
        using var json = JsonDocument.Parse(await rated.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0.75m, json.RootElement.GetProperty("quality").GetDecimal());
        var stored = Assert.Single(await host.Services.GetRequiredService<Helix.Core.Feedback.IFeedbackStore>().ListAsync(requestId, Ct));
        Assert.Equal((4m, 0.75m, "good"), (stored.Score, stored.Quality, stored.Comment));
    }

    [Fact]
    public async Task Users_CreateListDelete_WithTheBootstrapKey_AreRecordedInTheChangeHistory()
    {
        using var created = await SendAsync(HttpMethod.Post, "/admin/api/users", new { name = "wendy", role = "viewer", password = "wendys-long-password" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith(UserAccount.PrincipalPrefix, id, StringComparison.Ordinal);

        using var again = await SendAsync(HttpMethod.Post, "/admin/api/users", new { name = "WENDY", role = "admin", password = "another-long-password" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var list = await SendAsync(HttpMethod.Get, "/admin/api/users", null);
        Assert.Contains("\"wendy\"", await list.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var deleted = await SendAsync(HttpMethod.Delete, "/admin/api/users/" + id, null);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var missing = await SendAsync(HttpMethod.Delete, "/admin/api/users/" + id, null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var history = await host.Services.GetRequiredService<IChangeHistory>().ListAsync(50, cancellationToken: Ct);
        Assert.Contains(history, e => e.Change.Action == "user.create" && e.Change.Target == id && e.Change.ActorId == "bootstrap-admin");
        Assert.Contains(history, e => e.Change.Action == "user.delete" && e.Change.Target == id);
        Assert.DoesNotContain(history, e => (e.Change.After ?? "").Contains("wendys-long-password", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"name":"x","role":"agent","password":"long-enough-password"}""", "role")]
    [InlineData("""{"name":"x","role":"app","password":"long-enough-password"}""", "role")]
    [InlineData("""{"name":"x","role":"viewer","password":"short"}""", "password")]
    [InlineData("""{"name":" x","role":"viewer","password":"long-enough-password"}""", "name")]
    [InlineData("""{"name":"x","role":"viewer","password":"long-enough-password","admin":true}""", "admin")]
    public async Task Users_BadBody_Is400NamingTheField(string body, string field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/admin/api/users") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", DashboardHost.AdminKey);
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task DataPlaneAndAdminApi_KeepTheirOwnErrorShapesBesideTheDashboard()
    {
        using var unknownPath = await host.Http.GetAsync(host.BaseUrl + "/v1/nothing-here", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        Assert.Equal("not_found", JsonDocument.Parse(await unknownPath.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("code").GetString());

        using var noKey = await host.Http.GetAsync(host.BaseUrl + "/admin/api/users", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);

        using var page = await host.Http.GetAsync(host.BaseUrl + "/budgets", Ct);
        Assert.Contains("/login", page.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, host.BaseUrl + path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", DashboardHost.AdminKey);
        return await host.Http.SendAsync(request, Ct);
    }
}
