namespace Helix.Cli.CommandLine;

/// <summary>One <c>--option</c> a command accepts.</summary>
/// <param name="Name">The name without its dashes (<c>provider</c> for <c>--provider</c>).</param>
/// <param name="ValueName">What the value is called in help (<c>FILE</c>), or <see langword="null"/> for a flag.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Required">Whether the command cannot run without it.</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Help, bool Required = false)
{
    /// <summary>Whether the option is a flag (takes no value).</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>The option as typed, with its value name: <c>--provider P</c>.</summary>
    public string Usage => IsFlag ? "--" + Name : $"--{Name} {ValueName}";
}
