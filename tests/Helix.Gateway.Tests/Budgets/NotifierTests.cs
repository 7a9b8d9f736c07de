using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Budgets;

/// <summary>Threshold alerts reach Discord, Slack and webhook receivers once each, signed, durably.</summary>
public sealed class NotifierTests : IDisposable
{
    private const string Secret = "webhook-secret-0123";

    private static readonly Dictionary<string, string> s_fastOutbox = new()
    {
        ["Helix:Budgets:OutboxPollInterval"] = "00:00:00.05",
        ["Helix:Budgets:DeliveryRetryDelay"] = "00:00:00.1",
    };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-notifier-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Thresholds_ThreeNotifiers_EachReceivesEachThresholdOnceInItsFormat()
    {
        using var receiver = new NotifierReceiver();
        using var factory = new GatewayFactory(_directory, ownsDirectory: false, s_fastOutbox);
        BudgetCalls.MatchWorstCase(factory.Simulator);
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        await PutNotifiersAsync(admin, receiver);
        var cost = await BudgetCalls.CalibrateAsync(http, admin);
        await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "alerted", period = "day", limitUsd = BudgetCalls.Format(4 * cost) });

        for (var i = 0; i < 6; i++)
        {
            using var response = await BudgetCalls.CallAsync(http, "alerted");
        }

        await receiver.WaitForAsync(r => r.Count >= 9, TimeSpan.FromSeconds(20));
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var received = receiver.Received.ToArray();
        Assert.Equal(9, received.Length);
        var hooks = received.Where(r => r.Path == "/hook").ToArray();
        Assert.Equal([0.5m, 0.8m, 1.0m], hooks.Select(h => JsonDocument.Parse(h.Body).RootElement.GetProperty("threshold").GetDecimal()).Order());
        foreach (var hook in hooks)
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(hook.Body))), hook.Signature);
            var body = JsonDocument.Parse(hook.Body).RootElement;
            Assert.Equal(
                ["createdAt", "id", "limitUsd", "message", "period", "scope", "severity", "spentUsd", "subject", "threshold", "type"],
                body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(("budget_threshold", "user", "alerted", "day"), (body.GetProperty("type").GetString(), body.GetProperty("scope").GetString(), body.GetProperty("subject").GetString(), body.GetProperty("period").GetString()));
            Assert.Equal(BudgetCalls.Format(4 * cost), body.GetProperty("limitUsd").GetString());
            Assert.Equal(JsonValueKind.String, body.GetProperty("spentUsd").ValueKind);
        }

        var discord = received.Where(r => r.Path == "/discord").Select(r => JsonDocument.Parse(r.Body).RootElement).ToArray();
        Assert.Equal(3, discord.Length);
        Assert.All(discord, d =>
        {
            var embed = Assert.Single(d.GetProperty("embeds").EnumerateArray());
            Assert.Contains("budget_threshold", embed.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Number, embed.GetProperty("color").ValueKind);
            Assert.Contains(embed.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "Spent");
        });
        Assert.All(received.Where(r => r.Path != "/hook"), r => Assert.Null(r.Signature));

        var slack = received.Where(r => r.Path == "/slack").Select(r => JsonDocument.Parse(r.Body).RootElement).ToArray();
        Assert.Equal(3, slack.Length);
        Assert.All(slack, s =>
        {
            Assert.False(string.IsNullOrEmpty(s.GetProperty("text").GetString()));
            Assert.Equal(["header", "section", "context"], s.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        });

        var open = await Json.ReadAsync(await admin.GetAsync("/admin/api/alerts?state=open", TestContext.Current.CancellationToken));
        Assert.Equal(3, open.GetProperty("items").EnumerateArray().Count(a => a.GetProperty("type").GetString() == "budget_threshold"));
    }

    [Fact]
    public async Task Delivery_ReceiverDownAcrossARestart_RetriedAndNothingLost()
    {
        using var receiver = new NotifierReceiver { Failing = true };
        using (var factory = new GatewayFactory(_directory, ownsDirectory: false, s_fastOutbox))
        {
            BudgetCalls.MatchWorstCase(factory.Simulator);
            var http = factory.CreateClient();
            var admin = factory.CreateAdminClient();
            await PutNotifiersAsync(admin, receiver, only: "hook");
            var cost = await BudgetCalls.CalibrateAsync(http, admin);
            await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "restart", period = "day", limitUsd = BudgetCalls.Format(2 * cost), thresholds = new[] { 0.5m, 1.0m } });
            for (var i = 0; i < 2; i++)
            {
                using var response = await BudgetCalls.CallAsync(http, "restart");
            }

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (receiver.Refused < 8 && waited.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Assert.True(receiver.Refused >= 8, $"only {receiver.Refused} tries reached the failing receiver");
            Assert.Empty(receiver.Received);
        }

        receiver.Failing = false;
        using var restarted = new GatewayFactory(_directory, ownsDirectory: false, s_fastOutbox);
        restarted.CreateClient();

        await receiver.WaitForAsync(r => r.Count >= 2, TimeSpan.FromSeconds(20));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal([0.5m, 1.0m], receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("threshold").GetDecimal()).Order());
    }

    private static async Task PutNotifiersAsync(HttpClient admin, NotifierReceiver receiver, string? only = null)
    {
        foreach (var (name, kind) in new[] { ("discord", "discord"), ("slack", "slack"), ("hook", "webhook") })
        {
            if (only is not null && only != name)
            {
                continue;
            }

            using var response = await admin.PutAsJsonAsync($"/admin/api/notifiers/{name}", new
            {
                kind,
                url = receiver.BaseUrl + name,
                secret = kind == "webhook" ? Secret : null,
            }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
