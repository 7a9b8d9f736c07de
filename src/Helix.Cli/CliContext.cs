namespace Helix.Cli;

/// <summary>What a command runs against: its output streams, the HTTP client, the clock and the environment.</summary>
/// <param name="Stdout">Where results go.</param>
/// <param name="Stderr">Where errors and warnings go.</param>
/// <param name="Http">The client for the admin API.</param>
/// <param name="Time">The clock ("now" for <c>--at</c> and <c>--effective-from</c>).</param>
/// <param name="Environment">Reads an environment variable (<c>HELIX_URL</c>, <c>HELIX_ADMIN_KEY</c>).</param>
/// <param name="Stdin">Standard input (the password of <c>users add</c>); the console's when <see langword="null"/>.</param>
internal sealed record CliContext(
    TextWriter Stdout, TextWriter Stderr, HttpClient Http, TimeProvider Time, Func<string, string?> Environment, TextReader? Stdin = null);
