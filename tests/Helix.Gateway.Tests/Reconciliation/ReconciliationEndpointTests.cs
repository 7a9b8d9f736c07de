using System.Net;
using System.Net.Http.Json;
using System.Text;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Helix.Simulator;
using Xunit;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary><c>POST /admin/api/reconciliations</c> on the real gateway: a bill in, a stored report out; bad input gets a ProblemDetails 400.</summary>
public sealed class ReconciliationEndpointTests : IClassFixture<GatewayFactory>
{
    private const string Endpoint = "/admin/api/reconciliations";

    private readonly GatewayFactory _factory;

    public ReconciliationEndpointTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Post_BillOfTheGatewaysOwnTraffic_StoresAPassingReport()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var http = _factory.CreateClient();
        for (var i = 1; i <= 4; i++)
        {
            using var call = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "op:memory-synthesis",
                messages = new[] { new { role = "user", content = $"Summarise meeting {i}: " + string.Concat(Enumerable.Repeat("budget review notes ", 40 * i)) } },
            }, cancellationToken);
            call.EnsureSuccessStatusCode();
        }

        var billed = _factory.Simulator.Ledger.Where(e => e.Provider == SimulatorProviders.Gemini).ToArray();
        var days = billed.Select(e => DateOnly.FromDateTime(e.At.UtcDateTime)).ToArray();
        var csv = BillingExportBuilder.GoogleBillingCsv(billed, BuiltInPriceBook.Create(), days.Min(), days.Max());
        var admin = _factory.CreateAdminClient();

        using var response = await admin.PostAsync($"{Endpoint}?provider=google&tolerance=0.01", new StringContent(csv, Encoding.UTF8, "text/csv"), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        var report = ReconciliationReport.FromJson(raw);
        Assert.True(report.Id > 0);
        using (var json = System.Text.Json.JsonDocument.Parse(raw))
        {
            // Money on the admin API is a decimal string, never a JSON number.
            var totals = json.RootElement.GetProperty("totals");
            Assert.Equal(System.Text.Json.JsonValueKind.String, totals.GetProperty("oursUsd").ValueKind);
            Assert.Equal(report.Totals.OursUsd, decimal.Parse(totals.GetProperty("oursUsd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("0.01", json.RootElement.GetProperty("tolerance").GetString());
        }

        Assert.Equal("gemini", report.Provider);
        Assert.True(report.Passed, $"ours {report.Totals.OursUsd}, theirs {report.Totals.TheirsUsd}");
        Assert.Equal(0.01m, report.Tolerance);
        Assert.Equal(4, billed.Length);
        Assert.Equal(4, report.Buckets.Sum(b => b.OurCalls));
        Assert.All(report.Buckets, b =>
        {
            Assert.Equal("gemini-2.5-flash", b.Model);
            Assert.Equal(BucketPresence.Both, b.Presence);
            Assert.Equal(b.BilledTokens, b.OurTokens);
        });

        using var stored = await admin.GetAsync($"{Endpoint}/{report.Id}", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var read = ReconciliationReport.FromJson(await stored.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(report.Totals, read.Totals);
        Assert.Equal(report.Buckets.Count, read.Buckets.Count);
    }

    [Fact]
    public async Task Post_BillForDaysWithoutTraffic_NamesEveryBilledBucketMissingFromTheLog()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var june = new DateTimeOffset(2025, 6, 2, 9, 30, 0, TimeSpan.Zero);
        SimulatorLedgerEntry[] billed =
        [
            new(june, SimulatorProviders.OpenAI, "gpt-4o-mini-2024-07-18", "req_0001", 1_200, 0, 300, 0, 0, 0, false),
            new(june.AddHours(5), SimulatorProviders.OpenAI, "gpt-4.1-mini", "req_0002", 4_000, 1_024, 800, 0, 0, 0, true),
            new(june.AddDays(1), SimulatorProviders.OpenAI, "gpt-4o-mini", "req_0003", 600, 0, 90, 0, 0, 0, false),
        ];
        var export = BillingExportBuilder.OpenAICosts(billed, BuiltInPriceBook.Create(), new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 7));

        using var response = await _factory.CreateAdminClient().PostAsync(
            $"{Endpoint}?provider=openai", new StringContent(export, Encoding.UTF8, "application/json"), cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = ReconciliationReport.FromJson(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.False(report.Passed);
        Assert.Equal(new DateOnly(2025, 6, 1), report.From);
        Assert.Equal(new DateOnly(2025, 6, 7), report.To);
        Assert.Equal(0m, report.Totals.OursUsd);
        Assert.True(report.Totals.TheirsUsd > 0m);
        Assert.Empty(report.MispricedModels);
        Assert.Equal(
            [(new DateOnly(2025, 6, 2), "gpt-4.1-mini"), (new DateOnly(2025, 6, 2), "gpt-4o-mini"), (new DateOnly(2025, 6, 3), "gpt-4o-mini")],
            report.Buckets.Select(b => (b.Day, b.Model)));
        Assert.All(report.Buckets, b =>
        {
            Assert.Equal(BucketPresence.OnlyInBill, b.Presence);
            Assert.StartsWith("billed but never logged", b.Explanation, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("openai", "{\"object\":\"page\",\"data\":[{\"start_time\":\"yesterday\"}]}")]
    [InlineData("anthropic", "not json at all")]
    [InlineData("gemini", "service.description,cost\nGemini API,0.10\n")]
    [InlineData("deepgram", "{\"requests\":[{\"created\":\"2026-11-02T10:00:00Z\"}]}")]
    public async Task Post_MalformedExport_Answers400ProblemDetailsAndStoresNothing(string provider, string body)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var admin = _factory.CreateAdminClient();
        var before = await CountStoredAsync(admin, cancellationToken);

        using var response = await admin.PostAsync($"{Endpoint}?provider={provider}", new StringContent(body, Encoding.UTF8, "text/plain"), cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("Invalid billing export", problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, await CountStoredAsync(admin, cancellationToken));
    }

    [Fact]
    public async Task Post_DeepSeek_Answers400ExplainingItHasNoExportApi()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        using var response = await _factory.CreateAdminClient().PostAsync(
            $"{Endpoint}?provider=deepseek", new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("Unsupported provider", problem.GetProperty("title").GetString());
        Assert.Contains("DeepSeek has no usage or cost export API", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<int> CountStoredAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        using var response = await admin.GetAsync($"{Endpoint}?limit=200", cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await Json.ReadAsync(response)).GetProperty("items").GetArrayLength();
    }
}
