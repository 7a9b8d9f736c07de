using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Helix.Cli.CommandLine;

/// <summary>System.CommandLine's help, opening with the command's details and followed by its examples (<see cref="HelixCommand"/>).</summary>
/// <param name="help">The library's own help action, which prints the description, usage, arguments, options and sub-commands.</param>
internal sealed class ExamplesHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        var summary = command.Description;
        int exitCode;
        try
        {
            // The command's own help opens with its details; its parent's list keeps the one-line summary.
            if (command is HelixCommand { Details: { } details })
            {
                command.Description = details;
            }

            exitCode = help.Invoke(parseResult);
        }
        finally
        {
            command.Description = summary;
        }

        // A command that only groups others shows its sub-commands' examples.
        var examples = command is HelixCommand { Examples: { } own }
            ? own
            : string.Join('\n', command.Subcommands.OfType<HelixCommand>().Select(c => c.Examples).OfType<string>());
        if (examples.Length > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in examples.Split('\n'))
            {
                output.WriteLine("  " + line.TrimEnd());
            }

            output.WriteLine();
        }

        return exitCode;
    }
}
