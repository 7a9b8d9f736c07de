namespace Helix.Cli.CommandLine;

/// <summary>The command line cannot be run as given; the message says what to fix (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
