using System.CommandLine;
using System.Text.Json;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.AdminApi;

/// <summary>
/// The shape every admin sub-command shares: its own arguments and options plus <c>--url</c>, <c>--admin-key</c> and
/// <c>--json</c>; one call of the admin API; then the answer as JSON (<c>--json</c>) or rendered for people.
/// </summary>
/// <remarks>A command declares only what differs: its symbols, the request it makes and how it prints the answer.</remarks>
internal static class AdminCommand
{
    /// <summary>Creates the sub-command.</summary>
    /// <param name="name">The sub-command's name (<c>list</c>).</param>
    /// <param name="summary">One line for its parent's list of commands.</param>
    /// <param name="details">Its full description, when the summary does not say it all; else <see langword="null"/>.</param>
    /// <param name="examples">Example command lines, one a line.</param>
    /// <param name="context">What the command runs against.</param>
    /// <param name="symbols">The command's own arguments and options.</param>
    /// <param name="request">The call to make, from the parsed command line; throws <see cref="UsageException"/> for a value the parser cannot judge.</param>
    /// <param name="render">Prints the answer for people (not called with <c>--json</c>).</param>
    /// <param name="json">Whether the command has <c>--json</c>.</param>
    public static HelixCommand Create(
        string name,
        string summary,
        string? details,
        string examples,
        CliContext context,
        IEnumerable<Symbol> symbols,
        Func<ParseResult, AdminRequest> request,
        Action<JsonElement, ParseResult, TextWriter> render,
        bool json = true)
    {
        var command = new HelixCommand(name, summary) { Details = details, Examples = examples };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
                default:
                    throw new ArgumentException($"'{symbol.Name}' is neither an argument nor an option.", nameof(symbols));
            }
        }

        command.Options.Add(AdminApiClient.UrlOption());
        command.Options.Add(AdminApiClient.AdminKeyOption());
        var jsonOption = json ? CliOptions.Json() : null;
        if (jsonOption is not null)
        {
            command.Options.Add(jsonOption);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var call = request(parsed);
            var client = AdminApiClient.From(parsed, context);
            var body = call.Body is null ? null : JsonSerializer.SerializeToUtf8Bytes(call.Body);

            // Only a DELETE may answer without a body (204 No Content).
            using var answer = call.Method == HttpMethod.Delete
                ? await client.SendOrEmptyAsync(call.Method, call.PathAndQuery, body, "application/json", cancellationToken)
                : await client.SendAsync(call.Method, call.PathAndQuery, body, "application/json", cancellationToken);
            var root = answer?.RootElement ?? default;
            if (jsonOption is not null && parsed.GetValue(jsonOption))
            {
                await AdminOutput.WriteJsonAsync(context.Stdout, root);
                return ExitCodes.Success;
            }

            render(root, parsed, context.Stdout);
            return ExitCodes.Success;
        });
        return command;
    }
}
