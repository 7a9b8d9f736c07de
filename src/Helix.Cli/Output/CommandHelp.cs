using System.Text;
using Helix.Cli.CommandLine;

namespace Helix.Cli.Output;

/// <summary>Formats a command's help: usage, description, options and examples.</summary>
internal static class CommandHelp
{
    public static string Format(string usage, string description, IReadOnlyList<OptionSpec> options, string examples)
    {
        var text = new StringBuilder();
        text.Append("Usage: ").AppendLine(usage).AppendLine();
        foreach (var line in description.Split('\n'))
        {
            text.Append("  ").AppendLine(line.TrimEnd());
        }

        text.AppendLine().AppendLine("Options:");
        var width = options.Max(o => o.Usage.Length);
        foreach (var option in options)
        {
            text.Append("  ").Append(option.Usage.PadRight(width)).Append("  ");
            if (option.Required)
            {
                text.Append("(required) ");
            }

            text.AppendLine(option.Help);
        }

        text.Append("  ").Append("-h, --help".PadRight(width)).AppendLine("  Show this help.");
        text.AppendLine().AppendLine("Examples:");
        foreach (var line in examples.Split('\n'))
        {
            text.Append("  ").AppendLine(line.TrimEnd());
        }

        return text.ToString();
    }
}
