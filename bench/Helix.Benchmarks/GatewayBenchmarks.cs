using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BenchmarkDotNet.Attributes;
using Helix.Gateway.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Helix.Benchmarks;

/// <summary>One chat call through the whole gateway, in-process, with every control on.</summary>
/// <remarks>
/// The real host on a test server (no sockets between the caller and the gateway): an application key, a live budget
/// on that key and one on the caller's user, pricing, the durable SQLite log with its hash chain (group commit, WAL)
/// and the built-in simulator as the provider on loopback. Allocations count every thread (the caller's client,
/// the gateway, the log writer and the simulator), so they are the whole process's bytes per call.
/// </remarks>
[MemoryDiagnoser]
public class GatewayBenchmarks
{
    private const string ChatBody = """{"model":"op:chat","max_tokens":32,"user":"bench-user","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Summarise the quarter in one line."}]}""";
    private const string StreamBody = """{"model":"op:chat","max_tokens":32,"user":"bench-user","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Summarise the quarter in one line."}]}""";
    private const string AdminKey = "bench-admin-key-0123456789";

    private Factory _factory = null!;
    private HttpClient _client = null!;
    private string _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "helix-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        // The gateway's content root (its appsettings.json): src/Helix.Gateway of the repository this runs from.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Helix.slnx")))
        {
            root = root.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HELIX_GATEWAY", Path.Combine(root!.FullName, "src", "Helix.Gateway"));
        _factory = new Factory(_directory);
        var admin = _factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var created = admin.PostAsJsonAsync("/admin/api/keys", new { name = "bench", role = "app" }).GetAwaiter().GetResult();
        created.EnsureSuccessStatusCode();
        var key = created.Content.ReadFromJsonAsync<CreatedKey>().GetAwaiter().GetResult()!;
        Put(admin, new { scope = "key", subject = key.Id, period = "day", limitUsd = "1000000" });
        Put(admin, new { scope = "user", subject = "bench-user", period = "month", limitUsd = "1000000" });
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        admin.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _factory.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A non-streamed chat call: answered once its row is durable.</summary>
    [Benchmark]
    public async Task<int> Chat()
    {
        using var content = new StringContent(ChatBody, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/v1/chat/completions", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? bytes.Length : throw new InvalidOperationException(Encoding.UTF8.GetString(bytes));
    }

    /// <summary>A streamed chat call with the usage chunk, read to its end.</summary>
    [Benchmark]
    public async Task<int> StreamedChat()
    {
        using var content = new StringContent(StreamBody, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/v1/chat/completions", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? bytes.Length : throw new InvalidOperationException(Encoding.UTF8.GetString(bytes));
    }

    private static void Put(HttpClient admin, object budget)
    {
        using var response = admin.PutAsJsonAsync("/admin/api/budgets", budget).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    private sealed record CreatedKey(string Id, string Key);

    private sealed class Factory(string directory) : WebApplicationFactory<GatewayOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Helix:AdminKey", AdminKey);
            builder.UseSetting("Helix:Storage:ConnectionString", $"Data Source={Path.Combine(directory, "helix.db")}");
            builder.UseSetting("Helix:Simulator:Enabled", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }
}
