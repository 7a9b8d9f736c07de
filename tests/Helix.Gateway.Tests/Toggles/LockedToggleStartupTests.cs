using System.Diagnostics;
using Helix.Gateway.Tests.Readme;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Helix.Gateway.Tests.Toggles;

/// <summary>A toggles row edited behind the API's back that contradicts a locked toggle stops the real gateway process.</summary>
public sealed class LockedToggleStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RowContradictingALockedToggle_GatewayRefusesToStartNamingIt()
    {
        var directory = Directory.CreateTempSubdirectory("helix-locked-toggle-");
        try
        {
            // A gateway creates and migrates the database; then someone edits the toggles table directly.
            using (var factory = new GatewayFactory(directory.FullName, ownsDirectory: false))
            {
                using var ready = await factory.CreateAdminClient().GetAsync("/admin/api/toggles", Ct);
                ready.EnsureSuccessStatusCode();
            }

            var database = Path.Combine(directory.FullName, "helix.db");
            await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
            {
                await connection.OpenAsync(Ct);
                using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO toggles (name, enabled, scope, subject, description, owner, updated_at, updated_by)
                    VALUES ('agents-cannot-approve', 0, 'global', NULL, NULL, NULL, '2026-12-01T00:00:00.0000000Z', 'dba')
                    """;
                await insert.ExecuteNonQueryAsync(Ct);
            }

            var (exitCode, output) = await RunGatewayAsync(directory.FullName, $"--Helix:Storage:ConnectionString=Data Source={database}");

            Assert.Equal(1, exitCode);
            Assert.Contains("Helix cannot start", output, StringComparison.Ordinal);
            Assert.Contains("agents-cannot-approve", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ConfigurationSwitchingABuiltInLockedToggleOff_GatewayRefusesToStart()
    {
        var directory = Directory.CreateTempSubdirectory("helix-locked-config-");
        try
        {
            var (exitCode, output) = await RunGatewayAsync(directory.FullName,
                "--Helix:Toggles:Locked:0:Name=agents-cannot-change-routes", "--Helix:Toggles:Locked:0:Enabled=false");

            Assert.Equal(1, exitCode);
            Assert.Contains("Helix:Toggles:Locked:0", output, StringComparison.Ordinal);
            Assert.Contains("agents-cannot-change-routes", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunGatewayAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(GatewayAssembly());
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--Helix:AdminKey=locked-toggle-test-key-0123");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stderr + await stdout);
    }

    private static string GatewayAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return RepositoryFiles.PathOf("src", "Helix.Gateway", "bin", configuration, "net10.0", "Helix.Gateway.dll");
    }
}
