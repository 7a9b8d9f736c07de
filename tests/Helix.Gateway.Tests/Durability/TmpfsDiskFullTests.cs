using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Helix.Core.OperationLog;
using Helix.Simulator;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Durability;

/// <summary>
/// A real full disk: the database on an 8 MB tmpfs, filled with a file. Calls fail fast with 503 and reach no provider;
/// a call already at the provider is logged with its usage once space is freed, without a restart.
/// </summary>
/// <remarks>Mounting needs root (CI runs as root); elsewhere the test is skipped, saying why.</remarks>
public sealed class TmpfsDiskFullTests
{
    private static readonly TimeSpan s_recovery = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiskFullBetweenAndDuringCalls_CallsFailFast_AndTheLedgerEqualsTheLogOnceSpaceIsFreed()
    {
        var mount = Path.Combine(Path.GetTempPath(), "helix-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        var (mounted, why) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount);
        if (!mounted)
        {
            Directory.Delete(mount);
            Assert.Skip($"A tmpfs could not be mounted (it needs root and CAP_SYS_ADMIN): {why}");
        }

        try
        {
            await RunScenarioAsync(mount);
        }
        finally
        {
            await RunAsync("umount", "-l", mount);
            Directory.Delete(mount, recursive: true);
        }
    }

    private static async Task RunScenarioAsync(string mount)
    {
        using var factory = new GatewayFactory { DatabaseDirectory = mount };
        var http = factory.CreateClient();
        var filler = Path.Combine(mount, "filler");
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, "before")).StatusCode);

        Fill(filler);
        using (var refused = await ChatAsync(http, "refused"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(StoreUnavailableException.Code, (await Json.ReadAsync(refused)).GetProperty("error").GetProperty("code").GetString());
        }

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ChatAsync(http, "refused-fast")).StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"A call on a full disk took {clock.Elapsed}.");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Single(factory.Simulator.Ledger);

        File.Delete(filler);
        await WaitUntilAsync(async () => (await http.GetAsync("/healthz", Ct)).StatusCode == HttpStatusCode.OK);

        // Now the disk fills while a call is at the provider.
        factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Latency = TimeSpan.FromMilliseconds(600) });
        var during = ChatAsync(http, "during");
        await WaitUntilAsync(async () => await OpenAttemptsAsync(factory) == 1);
        Fill(filler);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await during).StatusCode);
        Assert.Equal(2, factory.Simulator.Ledger.Count);

        File.Delete(filler);
        await WaitUntilAsync(async () => (await Json.LogsAsync(factory.CreateAdminClient(), "user=during")).Length == 1);

        var rows = await Json.LogsAsync(factory.CreateAdminClient());
        Assert.Equal(factory.Simulator.Ledger.Count, rows.Length);
        Assert.All(rows, r => Assert.Equal(("success", "priced"), (r.GetProperty("status").GetString(), r.GetProperty("costStatus").GetString())));
        Assert.Equal(
            factory.Simulator.Ledger.Select(e => (e.PromptTokens, e.CompletionTokens)).Order(),
            rows.Select(r => (r.GetProperty("promptTokens").GetInt64(), r.GetProperty("completionTokens").GetInt64())).Order());
        Assert.Equal(0, await OpenAttemptsAsync(factory));
    }

    private static void Fill(string path)
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // The disk is full.
        }
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http, string user) =>
        http.PostAsJsonAsync("/v1/chat/completions", new { model = "op:chat", messages = new[] { new { role = "user", content = "Full?" } }, user }, Ct);

    private static async Task<long> OpenAttemptsAsync(GatewayFactory factory)
    {
        await using var connection = await factory.Services.GetRequiredService<SqliteDatabase>().OpenConnectionAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM open_attempts";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < s_recovery, "The condition did not hold in time.");
            await Task.Delay(20, Ct);
        }
    }

    private static async Task<(bool Ok, string Output)> RunAsync(string file, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = await process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            return (process.ExitCode == 0, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }
}
