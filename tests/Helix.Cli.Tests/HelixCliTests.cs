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
        Assert.Contains("helix [command] [options]", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Theory]
    [InlineData(new[] { "cost", "--help" }, "helix cost [options]")]
    [InlineData(new[] { "help", "cost" }, "helix cost [options]")]
    [InlineData(new[] { "prices", "import", "--help" }, "helix prices import <FILE> [options]")]
    [InlineData(new[] { "help", "prices", "import" }, "helix prices import <FILE> [options]")]
    [InlineData(new[] { "prices", "--help" }, "import <FILE>")]
    [InlineData(new[] { "prices", "reprice", "--help" }, "--from <ISO-8601> (REQUIRED)")]
    [InlineData(new[] { "help", "prices", "reprice" }, "helix prices reprice [options]")]
    [InlineData(new[] { "reconcile", "--help" }, "--file <EXPORT> (REQUIRED)")]
    [InlineData(new[] { "reconcile", "-h" }, "--tolerance <T>")]
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
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'costs'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Did you mean one of the following?\n  cost\n", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("helix --help", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task RunAsync_HelpForAnUnknownCommand_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["help", "rout"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: Unrecognized command or argument 'rout'.", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task RunAsync_HelpOfACommand_IgnoresItsMissingRequiredOptions()
    {
        var run = await CliRun.RunAsync(["cost", "--provider", "openai", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--model <M> (REQUIRED)", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task RunAsync_UnknownPricesSubcommand_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "export"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'export'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'helix prices --help' for its options.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadOption_NamesTheCommandsHelp()
    {
        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", "x.json", "--tolerence", "0.02"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: Unrecognized command or argument '--tolerence'.", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'--tolerence' was not matched. Did you mean one of the following?\n  --tolerance\n", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
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
