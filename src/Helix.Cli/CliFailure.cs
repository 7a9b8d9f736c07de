namespace Helix.Cli;

/// <summary>A command cannot go on (an unreadable file, a gateway error); the message is shown as is, exit code 2.</summary>
internal sealed class CliFailure(string message) : Exception(message);
