using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix users add --name N --role R</c>: creates a dashboard account through the admin API; the password is read from standard input.</summary>
internal static class UsersAddCommand
{
    public const string Name = "users add";

    private static readonly OptionSpec s_name = new("name", "NAME", "The sign-in name.", Required: true);
    private static readonly OptionSpec s_role = new("role", "ROLE", "viewer, operator or admin.", Required: true);

    public static IReadOnlyList<OptionSpec> Options { get; } = [s_name, s_role, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption];

    public static string Help => CommandHelp.Format(
        "helix users add --name NAME --role viewer|operator|admin [--url URL] [--admin-key KEY] < password",
        """
        Creates an account of the dashboard (POST /admin/api/users). The password is the first line of standard
        input, at least 12 characters, so it never appears in the shell's history or the process list. The first
        admin account is made this way with the bootstrap key (Helix:AdminKey, or data/admin-key).
        """,
        Options,
        """
        printf '%s\n' "$PASSWORD" | helix users add --name alice --role operator
        helix users add --name bob --role viewer --admin-key "$(cat data/admin-key)" < bob.password
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, Options);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var password = await (context.Stdin ?? Console.In).ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("Give the password on standard input (its first line).");
        }

        var client = AdminApiClient.From(parsed, context);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
        {
            ["name"] = parsed.Value(s_name.Name),
            ["role"] = parsed.Value(s_role.Name),
            ["password"] = password,
        });
        using var answer = await client.PostAsync("users", body, "application/json", cancellationToken);
        var root = answer.RootElement;
        await context.Stdout.WriteLineAsync($"Created {root.GetProperty("role").GetString()} '{root.GetProperty("name").GetString()}' ({root.GetProperty("id").GetString()}).");
        return ExitCodes.Success;
    }
}
