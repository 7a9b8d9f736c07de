using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using Helix.Cli.CommandLine;
using Helix.Cli.Commands;

namespace Helix.Cli;

/// <summary>The <c>helix</c> command line: one System.CommandLine command tree; failures become messages and exit codes.</summary>
/// <remarks>
/// Everything a command touches comes in as a parameter (output streams, HTTP client, clock, environment), so a
/// test runs the real command line in-process. Results go to stdout, errors to stderr. Parsing, validation and
/// help are System.CommandLine's; a parse error is exit code 2 (<see cref="ExitCodes.UsageError"/>), as is a value
/// a command rejects (<see cref="UsageException"/>) and a failure it reports (<see cref="CliFailure"/>).
/// </remarks>
internal static class HelixCli
{
    private const string Description = """
        helix: the Helix Control Plane command line.

        The admin commands (prices, reconcile, routes, budgets, toggles, approvals, keys, audit, users) talk to the
        gateway at --url or $HELIX_URL (default http://127.0.0.1:8080) with --admin-key or $HELIX_ADMIN_KEY. They
        print tables; --json prints the gateway's answer for scripts.

        Exit codes: 0 done, 1 reconciliation out of tolerance or a broken chain (audit verify), 2 bad arguments,
        file or gateway error, 3 usage unknown (cut stream), 4 no price for the model, 130 cancelled.
        Run 'helix <command> --help' (or 'helix help <command>') for a command's options.
        """;

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="http">The HTTP client for the admin API; one is created (and disposed) when <see langword="null"/>.</param>
    /// <param name="time">The clock; the system clock when <see langword="null"/>.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, HttpClient? http = null, TimeProvider? time = null) =>
        RunAsync(args, stdout, stderr, http, time, Environment.GetEnvironmentVariable);

    /// <summary>Runs the command line with the environment read through <paramref name="environment"/>.</summary>
    internal static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, HttpClient? http, TimeProvider? time, Func<string, string?> environment,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        var ownedHttp = http is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(5) } : null;
        try
        {
            var context = new CliContext(stdout, stderr, http ?? ownedHttp!, time ?? TimeProvider.System, environment);
            return await InvokeAsync(args, context, cancellationToken);
        }
        finally
        {
            ownedHttp?.Dispose();
        }
    }

    /// <summary>The command tree of <c>helix</c>, its commands' actions bound to <paramref name="context"/>.</summary>
    internal static Command CreateRootCommand(CliContext context)
    {
        // Named 'helix' whatever the process is called (a test host, 'dotnet helix.dll').
        var root = new HelixCommand("helix", Description)
        {
            new HelpOption { Action = new ExamplesHelpAction(new HelpAction()) },
            new VersionOption { Action = new VersionAction() },
            CostCommand.Create(context),
            HelixCommand.Group(
                "prices",
                "Import LiteLLM's price map (prices import), or re-price logged calls after a price fix (prices reprice).",
                null,
                PricesImportCommand.Create(context),
                PricesRepriceCommand.Create(context)),
            ReconcileCommand.Create(context),
            RoutesCommand.Create(context),
            BudgetsCommand.Create(context),
            ApprovalsCommand.Create(context),
            KeysCommand.Create(context),
            HelixCommand.Group("users", "Dashboard accounts (users add).", null, UsersAddCommand.Create(context)),
            DemoCommand.Create(context),
            TogglesCommand.Create(context),
            HelixCommand.Group("db", "The shared PostgreSQL database (db migrate).", null, DbMigrateCommand.Create(context)),
            AuditCommand.Create(context),
        };

        root.SetAction(HelixCommand.HelpAsUsageError);
        return root;
    }

    private static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var root = CreateRootCommand(context);
        if (args.Length > 0 && args[0] == "help")
        {
            // 'helix help routes set' is 'helix routes set --help'.
            args = [.. args[1..], "--help"];
        }

        // Response files (@file) are off: '@' is ordinary text in a reason or a name.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var invocation = new InvocationConfiguration
        {
            Output = context.Stdout,
            Error = context.Stderr,
            EnableDefaultExceptionHandler = false,

            // Ctrl+C is Program's: it cancels the token given here, and the command ends cleanly (exit code 130).
            ProcessTerminationTimeout = null,
        };
        if (parsed.Action is ParseErrorAction parseError)
        {
            return await UsageErrorAsync(context, parsed.CommandResult.Command, parsed.Errors.Select(e => e.Message), TypoCorrections(parsed, parseError));
        }

        // Help and --version clear the parse errors (a command's help needs none of its required options), but words
        // the tree does not know are still an error ('helix help rout').
        if (parsed.UnmatchedTokens.Count > 0)
        {
            return await UsageErrorAsync(
                context, parsed.CommandResult.Command, parsed.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."), []);
        }

        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (UsageException ex)
        {
            return await UsageErrorAsync(context, parsed.CommandResult.Command, [ex.Message], []);
        }
        catch (CliFailure ex)
        {
            await context.Stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.UsageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Stderr.WriteLineAsync("Cancelled.");
            return ExitCodes.Cancelled;
        }
    }

    // System.CommandLine's "did you mean" for a mistyped option or command ("'--tolerence' was not matched. Did you
    // mean one of the following?" and the candidates), without its list of the errors and its help.
    private static IEnumerable<string> TypoCorrections(ParseResult parsed, ParseErrorAction parseError)
    {
        parseError.ShowHelp = false;
        parseError.ShowTypoCorrections = true;
        using var text = new StringWriter();
        parsed.Invoke(new InvocationConfiguration { Output = text, Error = text, ProcessTerminationTimeout = null });
        var errors = parsed.Errors.Select(e => e.Message).ToHashSet(StringComparer.Ordinal);
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(line => !errors.Contains(line));
    }

    private static async Task<int> UsageErrorAsync(CliContext context, Command command, IEnumerable<string> messages, IEnumerable<string> suggestions)
    {
        foreach (var message in messages)
        {
            await context.Stderr.WriteLineAsync($"error: {message}");
        }

        foreach (var suggestion in suggestions)
        {
            await context.Stderr.WriteLineAsync(suggestion.EndsWith('?') ? suggestion : "  " + suggestion);
        }

        var path = HelixCommand.PathOf(command);
        await context.Stderr.WriteLineAsync(path.Length == 0
            ? "Run 'helix --help' for the commands."
            : $"Run 'helix {path} --help' for its options.");
        return ExitCodes.UsageError;
    }

    /// <summary><c>helix --version</c>: <c>helix</c> and the informational version.</summary>
    private sealed class VersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        /// <inheritdoc/>
        public override bool ClearsParseErrors => true;

        /// <inheritdoc/>
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"helix {Version}");
            return ExitCodes.Success;
        }
    }

    private static string Version =>
        typeof(HelixCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
