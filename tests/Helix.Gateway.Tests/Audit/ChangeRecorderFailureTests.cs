using System.Net;
using System.Net.Http.Json;
using Helix.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Audit;

/// <summary>A change whose history entry cannot be appended answers 500 naming it, and readiness shows the history failing until an append succeeds.</summary>
public sealed class ChangeRecorderFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendFails_Answers500_ReadinessDegraded_UntilTheNextAppendSucceeds()
    {
        var failing = new FaultyHistory();
        using var factory = new GatewayFactory { TestServices = services => services.AddSingleton<IChangeHistory>(failing) };
        var admin = factory.CreateAdminClient();
        failing.Inner = new Helix.Storage.Sqlite.SqliteChangeHistory(factory.Services.GetRequiredService<Helix.Storage.Sqlite.SqliteDatabase>());

        failing.Fail = true;
        using var put = await admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "user", subject = "bob", period = "day", limitUsd = "2" }, Ct);
        var problem = await Json.ReadAsync(put);
        var degraded = await Json.ReadAsync(await factory.CreateClient().GetAsync("/readyz", Ct));
        var budgets = await Json.ReadAsync(await admin.GetAsync("/admin/api/budgets", Ct));
        failing.Fail = false;
        using var next = await admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "user", subject = "carol", period = "day", limitUsd = "2" }, Ct);
        var ready = await Json.ReadAsync(await factory.CreateClient().GetAsync("/readyz", Ct));

        Assert.Equal(HttpStatusCode.InternalServerError, put.StatusCode);
        Assert.Contains("budget.put", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(budgets.GetProperty("items").EnumerateArray(), b => b.GetProperty("subject").GetString() == "bob");
        Assert.Equal("degraded", degraded.GetProperty("status").GetString());
        Assert.StartsWith("failing", degraded.GetProperty("changeHistory").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("ok", ready.GetProperty("changeHistory").GetString());
    }

    [Fact]
    public async Task RouteUpdate_AppendFails_Answers500NamingIt_ReadinessDegraded_TheChangeStays()
    {
        var failing = new FaultyHistory();
        using var factory = new GatewayFactory { TestServices = services => services.AddSingleton<IChangeHistory>(failing) };
        var admin = factory.CreateAdminClient();
        failing.Inner = new Helix.Storage.Sqlite.SqliteChangeHistory(factory.Services.GetRequiredService<Helix.Storage.Sqlite.SqliteDatabase>());
        using (var created = await admin.PostAsJsonAsync("/admin/api/routes", new { operation = "recorded-route", primaryModel = "deepseek/deepseek-v4-flash" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        failing.Fail = true;
        using var put = await admin.PutAsJsonAsync("/admin/api/routes/recorded-route", new { maxOutputTokens = 512 }, Ct);
        var problem = await Json.ReadAsync(put);
        var degraded = await Json.ReadAsync(await factory.CreateClient().GetAsync("/readyz", Ct));
        var route = (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct))).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("operation").GetString() == "recorded-route");
        failing.Fail = false;
        using var next = await admin.PutAsJsonAsync("/admin/api/routes/recorded-route", new { maxOutputTokens = 256 }, Ct);
        var ready = await Json.ReadAsync(await factory.CreateClient().GetAsync("/readyz", Ct));
        var entry = (await failing.ListAsync(10, cancellationToken: Ct))[0].Change;

        Assert.Equal(HttpStatusCode.InternalServerError, put.StatusCode);
        Assert.Contains("route.update", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(512, route.GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal("degraded", degraded.GetProperty("status").GetString());
        Assert.StartsWith("failing", degraded.GetProperty("changeHistory").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("ok", ready.GetProperty("changeHistory").GetString());
        Assert.Equal(("route.update", "recorded-route", "bootstrap-admin"), (entry.Action, entry.Target, entry.ActorId));
        Assert.Contains("\"maxOutputTokens\":512", entry.Before, StringComparison.Ordinal);
        Assert.Contains("\"maxOutputTokens\":256", entry.After, StringComparison.Ordinal);
    }

    /// <summary>The real SQLite history, made to fail its appends on demand (a full disk, say).</summary>
    private sealed class FaultyHistory : IChangeHistory
    {
        public IChangeHistory? Inner { get; set; }

        private volatile bool _fail;

        public bool Fail
        {
            get => _fail;
            set => _fail = value;
        }

        public Task<ChangeEntry> AppendAsync(ChangeRecord change, CancellationToken cancellationToken = default) =>
            Fail ? throw new IOException("disk full") : Inner!.AppendAsync(change, cancellationToken);

        public Task<IReadOnlyList<ChangeEntry>> ListAsync(int limit, long? beforeId = null, string? target = null, CancellationToken cancellationToken = default) =>
            Inner!.ListAsync(limit, beforeId, target, cancellationToken);

        public Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default) => Inner!.VerifyAsync(cancellationToken);
    }
}
