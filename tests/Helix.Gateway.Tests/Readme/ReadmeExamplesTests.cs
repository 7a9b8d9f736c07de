using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Helix.Gateway.Tests.Durability;
using Xunit;

namespace Helix.Gateway.Tests.Readme;

/// <summary>
/// Runs every <c>bash</c> example of the README (its curl and CLI commands) against a real gateway process, and
/// fails when one fails.
/// </summary>
/// <remarks>
/// The commands run as written, with four substitutions that keep the run on loopback and inside the test: the
/// gateway's and the simulator's addresses (free ports instead of 8080 and 8090), the admin-key file (a temporary
/// one), and <c>dotnet run --project src/Helix.Cli --</c> becomes the built <c>helix.dll</c> (the same program,
/// without a build per command). Each curl gets <c>--fail-with-body</c>, so an HTTP error fails the example. A
/// command the README marks <c># exit N</c> may exit N. Starting the gateway, <c>./test.sh</c> and the benchmarks
/// are not run. Each block is bounded in time; the gateway is stopped by its process id.
/// </remarks>
public sealed partial class ReadmeExamplesTests
{
    private static readonly string[] s_notRun =
        ["dotnet run --project src/Helix.Gateway", "./test.sh", "dotnet run -c Release --project bench", "bench/", "dotnet pack"];

    [Fact]
    public async Task EveryBashExample_RunsAgainstAStartedGateway()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var blocks = BashBlocks(RepositoryFiles.Read("README.md"));
        Assert.True(blocks.Count >= 3, "The README's bash examples were not found.");
        var cli = CliAssembly();
        var directory = Directory.CreateTempSubdirectory("helix-readme-");
        var simulatorPort = FreePort();
        const string AdminKey = "readme-examples-admin-key-0123";
        var keyFile = Path.Combine(directory.FullName, "data", "admin-key");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        await File.WriteAllTextAsync(keyFile, AdminKey, cancellationToken);
        try
        {
            await using var gateway = await GatewayProcess.StartAsync(
                directory.FullName, AdminKey, new Dictionary<string, string> { ["Helix__Simulator__Port"] = simulatorPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
            var gatewayRoot = gateway.BaseAddress.ToString().TrimEnd('/');
            List<string> failures = [];
            var ran = 0;
            foreach (var block in blocks)
            {
                var commands = Commands(block)
                    .Select(c => c
                        .Replace("http://127.0.0.1:8080", gatewayRoot, StringComparison.Ordinal)
                        .Replace("127.0.0.1:8090", $"127.0.0.1:{simulatorPort}", StringComparison.Ordinal)
                        .Replace("data/admin-key", keyFile, StringComparison.Ordinal)
                        .Replace("dotnet run --project src/Helix.Cli --", $"dotnet {cli}", StringComparison.Ordinal)
                        .Replace("curl -s ", "curl -s --fail-with-body --max-time 60 ", StringComparison.Ordinal))
                    .Select(AllowMarkedExitCode)
                    .ToList();
                if (commands.Count == 0)
                {
                    continue;
                }

                ran += commands.Count;
                var (exitCode, output) = await RunBashAsync(string.Join('\n', ["set -euo pipefail", .. commands]), gatewayRoot, cancellationToken);
                if (exitCode != 0)
                {
                    failures.Add($"exit {exitCode}:\n{string.Join('\n', commands)}\n--- output ---\n{output}");
                }
            }

            Assert.True(ran >= 10, $"Only {ran} README commands ran.");
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<string> BashBlocks(string readme)
    {
        List<string> blocks = [];
        StringBuilder? current = null;
        foreach (var line in readme.ReplaceLineEndings("\n").Split('\n'))
        {
            if (current is null && line.Trim() == "```bash")
            {
                current = new StringBuilder();
            }
            else if (current is not null && line.Trim() == "```")
            {
                blocks.Add(current.ToString());
                current = null;
            }
            else
            {
                current?.AppendLine(line);
            }
        }

        return blocks;
    }

    // Logical lines: a trailing backslash continues the command on the next line.
    private static IEnumerable<string> Commands(string block)
    {
        var pending = new StringBuilder();
        foreach (var raw in block.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            var command = (pending + line).Trim();
            pending.Clear();
            if (command.Length == 0 || command.StartsWith('#') || s_notRun.Any(p => command.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            yield return command;
        }
    }

    private static string AllowMarkedExitCode(string command) =>
        ExitMark().Match(command) is { Success: true } mark ? $"{command[..mark.Index].TrimEnd()} || [ $? -eq {mark.Groups[1].Value} ]" : command;

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string gatewayRoot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["HELIX_URL"] = gatewayRoot;
        start.Environment.Remove("HELIX_ADMIN_KEY");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 3 minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string CliAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = RepositoryFiles.PathOf("src", "Helix.Cli", "bin", configuration, "net10.0", "helix.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/Helix.Cli ({configuration}) first: {path} is missing.", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"#\s*exit (\d+)\b")]
    private static partial Regex ExitMark();
}
