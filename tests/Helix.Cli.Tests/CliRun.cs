using Helix.Cli;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Cli.Tests;

/// <summary>Runs the real command line in-process and captures what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static async Task<CliRun> RunAsync(
        string[] args, HttpClient? http = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var time = new FakeTimeProvider(Now);
        var exitCode = await HelixCli.RunAsync(
            args, stdout, stderr, http, time,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
            TestContext.Current.CancellationToken);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The path of a file copied beside the tests (Responses/..., Exports/...).</summary>
    public static string File(string relativePath) => Path.Combine(AppContext.BaseDirectory, relativePath);
}
