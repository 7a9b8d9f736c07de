using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Gateway.Tests.Budgets;
using Helix.Gateway.Tests.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Helix.Gateway.Tests.Access;

/// <summary>The data plane with keys: 401 without one once any exists, 403 for a person's key or another operation, 429 past a key's rate.</summary>
public sealed class DataPlaneAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GatewayFactory Gateway(params (string Key, string Value)[] settings) =>
        new(Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N")), ownsDirectory: true,
            settings.ToDictionary(s => s.Key, s => s.Value));

    [Fact]
    public async Task NoKeyCreated_CallsStayAnonymous_FirstAppKeyMakesOneRequired()
    {
        using var factory = Gateway();
        var admin = factory.CreateAdminClient();
        var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "sk-anything-an-sdk-sends");
        using var before = await Keys.ChatAsync(anonymous);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("anonymous", (await Json.LogsAsync(admin)).Single().GetProperty("principal").GetString());

        var app = await Keys.CreateAsync(admin, "checkout service", "app");

        using var without = await Keys.ChatAsync(factory.CreateClient());
        await Keys.AssertErrorAsync(without, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        using var wrong = await Keys.ChatAsync(anonymous);
        await Keys.AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "unauthorized");
        using var with = await Keys.ChatAsync(Keys.Client(factory, app.Key));
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        var row = (await Json.LogsAsync(admin)).First();
        Assert.Equal(app.Id, row.GetProperty("principal").GetString());
        Assert.Equal("checkout service", row.GetProperty("principalName").GetString());
        Assert.Equal(2, (await Json.LogsAsync(admin)).Length);
    }

    [Fact]
    public async Task RequireKey_FromTheStart_RefusesAnonymousCalls()
    {
        using var factory = Gateway(("Helix:DataPlane:RequireKey", "true"));

        using var response = await Keys.ChatAsync(factory.CreateClient());
        using var models = await factory.CreateClient().GetAsync("/v1/models", Ct);

        await Keys.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        await Keys.AssertErrorAsync(models, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(await Json.LogsAsync(factory.CreateAdminClient()));
    }

    [Fact]
    public async Task HumanKeys_AreRefusedOnTheDataPlane_AgentKeysAreServed()
    {
        using var factory = Gateway(("Helix:DataPlane:RequireKey", "true"));
        var admin = factory.CreateAdminClient();
        var agent = await Keys.CreateAsync(admin, "triage agent", "agent");

        foreach (var role in new[] { "viewer", "operator", "admin" })
        {
            var human = await Keys.CreateAsync(admin, $"a {role}", role);
            using var refused = await Keys.ChatAsync(Keys.Client(factory, human.Key));
            await Keys.AssertErrorAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        }

        using var bootstrap = await Keys.ChatAsync(Keys.Client(factory, GatewayFactory.AdminKey));
        await Keys.AssertErrorAsync(bootstrap, HttpStatusCode.Forbidden, "forbidden");
        using var served = await Keys.ChatAsync(Keys.Client(factory, agent.Key));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(agent.Id, Assert.Single(await Json.LogsAsync(admin)).GetProperty("principal").GetString());
    }

    [Fact]
    public async Task LimitedKey_OtherOperationForbidden_ModelsListsOnlyItsOwn()
    {
        using var factory = Gateway();
        var admin = factory.CreateAdminClient();
        var limited = await Keys.CreateAsync(admin, "chat only", "app", ["chat"]);
        var client = Keys.Client(factory, limited.Key);

        using var other = await Keys.ChatAsync(client, "email-drafting");
        using var unknown = await Keys.ChatAsync(client, "no-such-operation");
        using var differentCase = await Keys.ChatAsync(client, "CHAT");
        using var embeddings = await client.PostAsJsonAsync("/v1/embeddings", new { model = "op:embeddings", input = "x" }, Ct);
        var models = await Json.ReadAsync(await client.GetAsync("/v1/models", Ct));

        var message = await Keys.AssertErrorAsync(other, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("email-drafting", message, StringComparison.Ordinal);
        await Keys.AssertErrorAsync(unknown, HttpStatusCode.Forbidden, "forbidden");
        await Keys.AssertErrorAsync(embeddings, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, differentCase.StatusCode);
        Assert.Equal(["op:chat"], models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Single(await Json.LogsAsync(admin));
        var all = await Json.ReadAsync(await Keys.Client(factory, (await Keys.CreateAsync(admin, "all", "app")).Key).GetAsync("/v1/models", Ct));
        Assert.True(all.GetProperty("data").GetArrayLength() > 1);
    }

    [Fact]
    public async Task RevokedKey_RefusedFromTheNextRequest()
    {
        using var factory = Gateway();
        var admin = factory.CreateAdminClient();
        var app = await Keys.CreateAsync(admin, "soon gone", "app");
        var client = Keys.Client(factory, app.Key);
        using var first = await Keys.ChatAsync(client);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        (await admin.DeleteAsync($"/admin/api/keys/{app.Id}", Ct)).EnsureSuccessStatusCode();
        using var next = await Keys.ChatAsync(client);

        await Keys.AssertErrorAsync(next, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task KeyRateLimit_RefusesPastItsRate_OtherKeysUnaffected()
    {
        using var factory = Gateway();
        var admin = factory.CreateAdminClient();
        var slow = Keys.Client(factory, (await Keys.CreateAsync(admin, "two a minute", "app", requestsPerMinute: 2)).Key);
        var other = Keys.Client(factory, (await Keys.CreateAsync(admin, "unlimited", "app")).Key);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 3; i++)
        {
            var response = await slow.GetAsync("/v1/models", Ct);
            statuses.Add(response.StatusCode);
            refused = response;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await Keys.AssertErrorAsync(refused!, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(refused!.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        using var chat = await Keys.ChatAsync(slow);
        Assert.Equal(HttpStatusCode.TooManyRequests, chat.StatusCode);
        Assert.Empty(await Json.LogsAsync(admin));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/models", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task DefaultRateLimit_AppliesToAKeyWithoutItsOwn()
    {
        using var factory = Gateway(("Helix:DataPlane:RequestsPerMinute", "1"));
        var admin = factory.CreateAdminClient();
        var client = Keys.Client(factory, (await Keys.CreateAsync(admin, "default rate", "app")).Key);
        var own = Keys.Client(factory, (await Keys.CreateAsync(admin, "own rate", "app", requestsPerMinute: 3)).Key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models", Ct)).StatusCode);
        await Keys.AssertErrorAsync(await client.GetAsync("/v1/models", Ct), HttpStatusCode.TooManyRequests, "rate_limited");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/v1/models", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task AnonymousCalls_AreLimitedPerCallerAddress()
    {
        using var factory = Gateway(("Helix:DataPlane:AnonymousRequestsPerMinute", "2"));
        var admin = factory.CreateAdminClient();

        Task<HttpContext> ModelsFrom(string address) => factory.Server.SendAsync(context =>
        {
            context.Request.Method = "GET";
            context.Request.Path = "/v1/models";
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);
        }, Ct);

        Assert.Equal(StatusCodes.Status200OK, (await ModelsFrom("10.0.0.1")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, (await ModelsFrom("10.0.0.1")).Response.StatusCode);
        var refused = await ModelsFrom("10.0.0.1");
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Response.StatusCode);
        Assert.InRange(int.Parse(refused.Response.Headers.RetryAfter.ToString(), CultureInfo.InvariantCulture), 1, 60);
        using var error = JsonDocument.Parse(refused.Response.Body);
        Assert.Equal("rate_limited", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("This address's rate limit", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // Another address has its own window; nothing refused was logged.
        Assert.Equal(StatusCodes.Status200OK, (await ModelsFrom("10.0.0.2")).Response.StatusCode);
        Assert.Empty(await Json.LogsAsync(admin));
    }

    [Fact]
    public async Task AnonymousCalls_WithoutTheirOwnLimit_TakeTheKeysDefault()
    {
        using var factory = Gateway(("Helix:DataPlane:RequestsPerMinute", "1"));
        var anonymous = factory.CreateClient();

        using var first = await Keys.ChatAsync(anonymous);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await Keys.ChatAsync(anonymous);
        await Keys.AssertErrorAsync(second, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Single(await Json.LogsAsync(factory.CreateAdminClient()));
    }

    [Fact]
    public async Task KeyBudget_HoldsPerKeyThroughTheGateway()
    {
        using var factory = Gateway();
        BudgetCalls.MatchWorstCase(factory.Simulator);
        var admin = factory.CreateAdminClient();
        var capped = await Keys.CreateAsync(admin, "capped", "app");
        var free = Keys.Client(factory, (await Keys.CreateAsync(admin, "free", "app")).Key);
        var cost = await BudgetCalls.CalibrateAsync(free, admin);
        await BudgetCalls.PutBudgetAsync(admin, new { scope = "key", subject = capped.Id, period = "day", limitUsd = BudgetCalls.Format(2 * cost), hard = true });
        var client = Keys.Client(factory, capped.Key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await BudgetCalls.CallAsync(client, "same-user");
            statuses.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var error = (await Json.ReadAsync(response)).GetProperty("error");
                Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
            }
        }

        using var unaffected = await BudgetCalls.CallAsync(free, "same-user");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        Assert.Equal(2, (await Json.LogsAsync(admin)).Count(r => r.GetProperty("principal").GetString() == capped.Id));
    }

    [Fact]
    public async Task Keys_NeverAppearInLogsErrorsOrResponsesAfterCreation()
    {
        var capture = new CapturingLoggerProvider();
        using var factory = new GatewayFactory { TestServices = s => s.AddLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace)) };
        var admin = factory.CreateAdminClient();
        var app = await Keys.CreateAsync(admin, "secretive", "app", ["chat"]);
        var viewer = await Keys.CreateAsync(admin, "human", "viewer");
        var client = Keys.Client(factory, app.Key);
        List<string> bodies = [];
        foreach (var call in new Func<Task<HttpResponseMessage>>[]
        {
            () => Keys.ChatAsync(client),
            () => Keys.ChatAsync(client, "email-drafting"),
            () => Keys.ChatAsync(Keys.Client(factory, viewer.Key)),
            () => Keys.ChatAsync(Keys.Client(factory, app.Key + "x")),
            () => Keys.Client(factory, app.Key).GetAsync("/admin/api/routes", Ct),
            () => admin.GetAsync("/admin/api/keys", Ct),
            () => admin.GetAsync("/admin/api/logs", Ct),
            () => admin.DeleteAsync($"/admin/api/keys/{app.Id}", Ct),
            () => Keys.ChatAsync(client),
        })
        {
            using var response = await call();
            bodies.Add(await response.Content.ReadAsStringAsync(Ct) + string.Join(";", response.Headers.SelectMany(h => h.Value)));
        }

        var history = await factory.Services.GetRequiredService<Helix.Core.Audit.IChangeHistory>().ListAsync(100, cancellationToken: Ct);
        foreach (var secret in new[] { app.Key, viewer.Key })
        {
            var random = secret[(secret.LastIndexOf('_') + 1)..];
            Assert.All(bodies, b => Assert.DoesNotContain(random, b, StringComparison.Ordinal));
            Assert.All(capture.Lines, l => Assert.DoesNotContain(random, l.Message, StringComparison.Ordinal));
            Assert.All(history, e => Assert.DoesNotContain(random, JsonSerializer.Serialize(e), StringComparison.Ordinal));
        }
    }
}
