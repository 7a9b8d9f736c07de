using System.CommandLine;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix users add --name N --role R</c>: creates a dashboard account through the admin API; the password is read from standard input.</summary>
internal sealed class UsersAddCommand
{
    private readonly Option<string?> _name = CliOptions.Text("--name", "NAME", "The sign-in name.", required: true);
    private readonly Option<string?> _role = CliOptions.Text("--role", "ROLE", "viewer, operator or admin.", required: true);

    private readonly Option<string?> _url = AdminApiClient.UrlOption();
    private readonly Option<string?> _adminKey = AdminApiClient.AdminKeyOption();

    private IEnumerable<Option> Options => [_name, _role, _url, _adminKey];

    /// <summary>Creates <c>helix users add</c>.</summary>
    public static Command Create(CliContext context) => new UsersAddCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("add", "Create a dashboard account (viewer, operator or admin); the password is read from stdin.")
        {
            Details = """
                Creates an account of the dashboard (POST /admin/api/users). The password is the first line of standard
                input, at least 12 characters, so it never appears in the shell's history or the process list. The first
                admin account is made this way with the bootstrap key (Helix:AdminKey, or data/admin-key).
                """,
            Examples = """
                printf '%s\n' "$PASSWORD" | helix users add --name alice --role operator
                helix users add --name bob --role viewer --admin-key "$(cat data/admin-key)" < bob.password
                """,
        };
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, context, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken)
    {
        var password = await (context.Stdin ?? Console.In).ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("Give the password on standard input (its first line).");
        }

        var client = AdminApiClient.From(parsed, context);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
        {
            ["name"] = parsed.GetValue(_name),
            ["role"] = parsed.GetValue(_role),
            ["password"] = password,
        });
        using var answer = await client.PostAsync("users", body, "application/json", cancellationToken);
        var root = answer.RootElement;
        await context.Stdout.WriteLineAsync($"Created {root.GetProperty("role").GetString()} '{root.GetProperty("name").GetString()}' ({root.GetProperty("id").GetString()}).");
        return ExitCodes.Success;
    }
}
