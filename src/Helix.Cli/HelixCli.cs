using System.Reflection;
using Helix.Cli.CommandLine;
using Helix.Cli.Commands;

namespace Helix.Cli;

/// <summary>The <c>helix</c> command line: dispatches to a command and turns failures into messages and exit codes.</summary>
/// <remarks>
/// Everything a command touches comes in as a parameter (output streams, HTTP client, clock, environment), so a
/// test runs the real command line in-process. Results go to stdout, errors to stderr.
/// </remarks>
internal static class HelixCli
{
    internal const string Overview = """
        helix: the Helix Control Plane command line.

        Usage: helix <command> [options]

        Commands:
          cost            Price a saved provider response with the gateway's own metering and the built-in prices.
          prices import   Plan, or apply, an import of LiteLLM's price map (added and changed prices, field by field).
          prices reprice  Re-price logged calls of a period with the prices now in force (after a price fix).
          reconcile       Compare a provider's billing export with the operation log, by day and model.
          routes          List, show or change operations' routes (list, show, set).
          budgets         List, set or delete budgets (list, set, delete).
          approvals       List approval requests; show, approve or reject one (approvals list|show|approve|reject).
          keys            Create, list or revoke API keys (create|list|revoke).
          users add       Create a dashboard account (viewer, operator or admin); the password is read from stdin.
          demo            Send realistic traffic for every seed operation, so the dashboard shows real charts.
          toggles         List the toggles and kill switches, or switch one on or off (toggles list|set).
          db migrate      Apply the PostgreSQL migrations to a shared database (--connection).
          audit           The change history, and the check of its chain and the operation log's (list, verify).
          help [command]  Show help for a command.

        Options:
          -h, --help      Show help (after a command: that command's help).
          --version       Show the version.

        The admin commands (prices, reconcile, routes, budgets, toggles, approvals, keys, audit) talk to the gateway at
        --url or $HELIX_URL (default http://127.0.0.1:8080) with --admin-key or $HELIX_ADMIN_KEY. They print tables;
        --json prints the gateway's answer for scripts.

        Exit codes: 0 done, 1 reconciliation out of tolerance or a broken chain (audit verify), 2 bad arguments,
        file or gateway error,
        3 usage unknown (cut stream), 4 no price for the model.
        Run 'helix <command> --help' for a command's options.

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
            return await DispatchAsync(args, context, cancellationToken);
        }
        finally
        {
            ownedHttp?.Dispose();
        }
    }

    private static async Task<int> DispatchAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            await context.Stderr.WriteAsync(Overview);
            return ExitCodes.UsageError;
        }

        var command = args[0];
        string? commandName = null;
        try
        {
            switch (command)
            {
                case "-h" or "--help":
                    await context.Stdout.WriteAsync(Overview);
                    return ExitCodes.Success;
                case "--version":
                    await context.Stdout.WriteLineAsync($"helix {Version}");
                    return ExitCodes.Success;
                case "help":
                    return await HelpAsync(args.AsSpan(1).ToArray(), context);
                case CostCommand.Name:
                    commandName = CostCommand.Name;
                    return await CostCommand.RunAsync(args[1..], context, cancellationToken);
                case ReconcileCommand.Name:
                    commandName = ReconcileCommand.Name;
                    return await ReconcileCommand.RunAsync(args[1..], context, cancellationToken);
                case ApprovalsCommand.Name:
                    commandName = ApprovalsCommand.Name;
                    return await ApprovalsCommand.RunAsync(args[1..], context, cancellationToken);
                case KeysCommand.Name:
                    commandName = KeysCommand.Name;
                    return await KeysCommand.RunAsync(args[1..], context, cancellationToken);
                case "users" when args.Length > 1 && args[1] == "add":
                    commandName = UsersAddCommand.Name;
                    return await UsersAddCommand.RunAsync(args[2..], context, cancellationToken);
                case DemoCommand.Name:
                    commandName = DemoCommand.Name;
                    return await DemoCommand.RunAsync(args[1..], context, cancellationToken);
                case TogglesCommand.Name:
                    commandName = TogglesCommand.Name;
                    return await TogglesCommand.RunAsync(args[1..], context, cancellationToken);
                case "prices":
                    if (args.Length < 2 || args[1] is "-h" or "--help")
                    {
                        await (args.Length < 2 ? context.Stderr : context.Stdout).WriteAsync(PricesHelp);
                        return args.Length < 2 ? ExitCodes.UsageError : ExitCodes.Success;
                    }

                    switch (args[1])
                    {
                        case "import":
                            commandName = PricesImportCommand.Name;
                            return await PricesImportCommand.RunAsync(args[2..], context, cancellationToken);
                        case "reprice":
                            commandName = PricesRepriceCommand.Name;
                            return await PricesRepriceCommand.RunAsync(args[2..], context, cancellationToken);
                        default:
                            throw new UsageException($"Unknown command 'prices {args[1]}'; the prices commands are 'import' and 'reprice'.");
                    }
                case RoutesCommand.Name:
                    commandName = args.Length > 1 && !args[1].StartsWith('-') ? $"{RoutesCommand.Name} {args[1]}" : RoutesCommand.Name;
                    return await RoutesCommand.RunAsync(args[1..], context, cancellationToken);
                case BudgetsCommand.Name:
                    commandName = args.Length > 1 && !args[1].StartsWith('-') ? $"{BudgetsCommand.Name} {args[1]}" : BudgetsCommand.Name;
                    return await BudgetsCommand.RunAsync(args[1..], context, cancellationToken);
                case AuditCommand.Name:
                    commandName = args.Length > 1 && !args[1].StartsWith('-') ? $"{AuditCommand.Name} {args[1]}" : AuditCommand.Name;
                    return await AuditCommand.RunAsync(args[1..], context, cancellationToken);
                case "db" when args.Length >= 2 && args[1] == "migrate":
                    commandName = DbMigrateCommand.Name;
                    return await DbMigrateCommand.RunAsync(args[2..], context, cancellationToken);
                default:
                    throw new UsageException($"Unknown command '{command}'. Commands: cost, prices import, prices reprice, reconcile, routes, budgets, toggles, approvals, keys, audit, users add, demo, db migrate, help.");
            }
        }
        catch (UsageException ex)
        {
            await context.Stderr.WriteLineAsync($"error: {ex.Message}");
            await context.Stderr.WriteLineAsync(commandName is null
                ? "Run 'helix --help' for the commands."
                : $"Run 'helix {commandName} --help' for its options.");
            return ExitCodes.UsageError;
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

    private static async Task<int> HelpAsync(string[] topic, CliContext context)
    {
        var text = string.Join(' ', topic) switch
        {
            "" => Overview,
            CostCommand.Name => CostCommand.Help,
            ReconcileCommand.Name => ReconcileCommand.Help,
            ApprovalsCommand.Name => ApprovalsCommand.Help,
            TogglesCommand.Name => TogglesCommand.Help,
            "prices" => PricesHelp,
            PricesImportCommand.Name => PricesImportCommand.Help,
            PricesRepriceCommand.Name => PricesRepriceCommand.Help,
            KeysCommand.Name => KeysCommand.Help,
            RoutesCommand.Name => RoutesCommand.Help,
            "routes list" => RoutesCommand.ListHelp,
            "routes show" => RoutesCommand.ShowHelp,
            "routes set" => RoutesCommand.SetHelp,
            BudgetsCommand.Name => BudgetsCommand.Help,
            "budgets list" => BudgetsCommand.ListHelp,
            "budgets set" => BudgetsCommand.SetHelp,
            "budgets delete" => BudgetsCommand.DeleteHelp,
            AuditCommand.Name => AuditCommand.Help,
            "audit list" => AuditCommand.ListHelp,
            "audit verify" => AuditCommand.VerifyHelp,
            UsersAddCommand.Name => UsersAddCommand.Help,
            DemoCommand.Name => DemoCommand.Help,
            var other => throw new UsageException($"No help for '{other}'. Commands: cost, prices import, prices reprice, reconcile, routes, budgets, toggles, approvals, keys, audit, users add, demo."),
        };
        await context.Stdout.WriteAsync(text);
        return ExitCodes.Success;
    }

    private static string PricesHelp => """
        Usage: helix prices import FILE [options]
               helix prices reprice --from ISO-8601 --to ISO-8601 [options]

          import   Plan, or apply with --apply, an import of LiteLLM's price map.
          reprice  Re-price logged calls of a period with the prices now in force.

        Examples:
          helix prices import model_prices_and_context_window.json --offline
          helix prices import model_prices_and_context_window.json --apply
          helix prices reprice --from 2026-11-01 --to 2026-12-01

        Run 'helix prices import --help' or 'helix prices reprice --help' for their options.

        """;

    private static string Version =>
        typeof(HelixCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
