using System.CommandLine;

namespace Helix.Cli.CommandLine;

/// <summary>A <c>helix</c> command: a System.CommandLine command with a one-line summary, details and examples.</summary>
/// <param name="name">The command's name as typed.</param>
/// <param name="summary">One line: what it does, shown in its parent's list of commands.</param>
internal sealed class HelixCommand(string name, string summary) : Command(name, summary)
{
    /// <summary>The command's full description, shown instead of the summary at the top of its own help.</summary>
    public string? Details { get; init; }

    /// <summary>Example command lines, one a line, printed at the end of the command's help.</summary>
    public string? Examples { get; init; }

    /// <summary>The command as typed after <c>helix</c> (<c>routes set</c>), for messages.</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        for (var current = command; current.Parents.OfType<Command>().FirstOrDefault() is { } parent; current = parent)
        {
            names.Insert(0, current.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>A command that only groups sub-commands (<c>helix routes</c>); without one it prints its help to stderr, exit code 2.</summary>
    /// <param name="name">The command's name.</param>
    /// <param name="summary">One line for its parent's list of commands.</param>
    /// <param name="details">Its full description, or <see langword="null"/> when the summary says it all.</param>
    /// <param name="subcommands">Its sub-commands.</param>
    public static HelixCommand Group(string name, string summary, string? details, params IEnumerable<Command> subcommands)
    {
        var command = new HelixCommand(name, summary) { Details = details };
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        command.SetAction(HelpAsUsageError);
        return command;
    }

    /// <summary>The action of a command that needs a sub-command: its help, on stderr, and the usage exit code.</summary>
    /// <param name="parsed">The parsed command line, which named the command alone.</param>
    public static int HelpAsUsageError(ParseResult parsed)
    {
        var path = PathOf(parsed.CommandResult.Command);
        var help = parsed.RootCommandResult.Command.Parse([.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"], parsed.Configuration);
        help.Invoke(new InvocationConfiguration { Output = parsed.InvocationConfiguration.Error, ProcessTerminationTimeout = null });
        return ExitCodes.UsageError;
    }
}
