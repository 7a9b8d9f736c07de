using System.CommandLine;
using Helix.Cli.CommandLine;
using Xunit;

namespace Helix.Cli.Tests.CommandLine;

/// <summary>Every command of the tree: its help lists every option and sub-command; an unknown option is a usage error naming it.</summary>
public sealed class CommandTreeTests
{
    private static readonly Command s_root = HelixCli.CreateRootCommand(
        new CliContext(TextWriter.Null, TextWriter.Null, new HttpClient(), TimeProvider.System, _ => null));

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var command in All(s_root).Where(c => c != s_root))
        {
            data.Add(HelixCommand.PathOf(command));
        }

        return data;
    }

    public static TheoryData<string> Leaves()
    {
        var data = new TheoryData<string>();
        foreach (var command in All(s_root).Where(c => c.Subcommands.Count == 0))
        {
            data.Add(HelixCommand.PathOf(command));
        }

        return data;
    }

    [Fact]
    public void Tree_HasEveryCommand()
    {
        var paths = All(s_root).Where(c => c.Subcommands.Count == 0).Select(HelixCommand.PathOf).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(
            [
                "approvals approve", "approvals list", "approvals reject", "approvals show", "audit list", "audit verify",
                "budgets delete", "budgets list", "budgets set", "cost", "db migrate", "demo", "keys create", "keys list",
                "keys revoke", "prices import", "prices reprice", "reconcile", "routes list", "routes set", "routes show",
                "toggles list", "toggles set", "users add",
            ],
            paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RootHelp_ListsEveryCommand()
    {
        var run = await CliRun.RunAsync(["--help"]);

        Assert.Equal(0, run.ExitCode);
        foreach (var command in s_root.Subcommands)
        {
            Assert.Contains($"  {command.Name} ", run.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("--version", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_ListsEveryOptionArgumentAndSubcommand_WithExamples(string path)
    {
        var command = Find(path);

        var run = await CliRun.RunAsync([.. path.Split(' '), "--help"]);
        var viaHelp = await CliRun.RunAsync(["help", .. path.Split(' ')]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Contains($"helix {path} ", run.Stdout, StringComparison.Ordinal);
        foreach (var option in command.Options)
        {
            Assert.Contains(option.Name, run.Stdout, StringComparison.Ordinal);
        }

        foreach (var argument in command.Arguments)
        {
            Assert.Contains($"<{argument.Name}>", run.Stdout, StringComparison.Ordinal);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Assert.Contains($"  {subcommand.Name}", run.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("Examples:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"helix {path}", run.Stdout[run.Stdout.IndexOf("Examples:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(run, viaHelp);
    }

    [Theory]
    [MemberData(nameof(Leaves))]
    public async Task UnknownOption_IsAUsageErrorNamingIt(string path)
    {
        var run = await CliRun.RunAsync([.. path.Split(' '), "--no-such-option"]);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("'--no-such-option'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Run 'helix {path} --help' for its options.", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Theory]
    [InlineData("routes")]
    [InlineData("prices")]
    [InlineData("db")]
    public async Task Group_WithoutSubcommand_PrintsItsHelpToStderr_ExitTwo(string group)
    {
        var run = await CliRun.RunAsync([group]);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains($"helix {group} [command] [options]", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task OptionMissingItsValue_IsAUsageErrorNamingIt()
    {
        var run = await CliRun.RunAsync(["routes", "set", "chat", "--primary"]);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("'--primary'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'helix routes set --help' for its options.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseFiles_AreOff_AnAtSignIsText()
    {
        await using var api = await FakeAdminApi.StartAsync("""{"id":"apr_1","status":"rejected"}""");

        var run = await CliRun.RunAsync(["approvals", "reject", "apr_1", "--reason", "@no-such-file", "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("@no-such-file", System.Text.Encoding.UTF8.GetString(Assert.Single(api.Requests).Body), StringComparison.Ordinal);
    }

    private static Command Find(string path)
    {
        Command command = s_root;
        foreach (var name in path.Split(' '))
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        return command;
    }

    private static IEnumerable<Command> All(Command command) => [command, .. command.Subcommands.SelectMany(All)];
}
