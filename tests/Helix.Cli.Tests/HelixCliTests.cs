using Xunit;

namespace Helix.Cli.Tests;

public sealed class HelixCliTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task RunAsync_Help_PrintsTheCommandsAndExitsZero(string help)
    {
        var run = await CliRun.RunAsync([help]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("cost", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("prices import", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("reconcile", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task RunAsync_NoArguments_PrintsHelpToStderrAndExitsTwo()
    {
        var run = await CliRun.RunAsync([]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage: helix <command>", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "cost", "--help" }, "Usage: helix cost")]
    [InlineData(new[] { "help", "cost" }, "Usage: helix cost")]
    [InlineData(new[] { "prices", "import", "--help" }, "Usage: helix prices import FILE")]
    [InlineData(new[] { "help", "prices", "import" }, "Usage: helix prices import FILE")]
    [InlineData(new[] { "prices", "--help" }, "Usage: helix prices import FILE")]
    [InlineData(new[] { "prices", "reprice", "--help" }, "Usage: helix prices reprice --from ISO-8601 --to ISO-8601")]
    [InlineData(new[] { "help", "prices", "reprice" }, "Usage: helix prices reprice")]
    [InlineData(new[] { "reconcile", "--help" }, "Usage: helix reconcile --provider P --file EXPORT")]
    [InlineData(new[] { "reconcile", "-h" }, "--tolerance T")]
    public async Task RunAsync_CommandHelp_PrintsItsUsageAndOptions(string[] args, string expected)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(expected, run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_ExitsTwoWithAHint()
    {
        var run = await CliRun.RunAsync(["costs"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: Unknown command 'costs'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("helix --help", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task RunAsync_UnknownPricesSubcommand_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "export"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown command 'prices export'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadOption_NamesTheCommandsHelp()
    {
        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", "x.json", "--tolerence", "0.02"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Did you mean --tolerance?", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'helix reconcile --help' for its options.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Version_PrintsIt()
    {
        var run = await CliRun.RunAsync(["--version"]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("helix ", run.Stdout, StringComparison.Ordinal);
    }
}
