using System.Globalization;
using System.Text.Json;
using Helix.Core.Accounts;
using Helix.Dashboard.Accounts;
using Helix.Gateway.Access;

namespace Helix.Gateway.Admin;

/// <summary>The dashboard's human accounts: <c>GET/POST /admin/api/users</c>, <c>DELETE /admin/api/users/{id}</c>, admins only.</summary>
/// <remarks>A password is accepted once, hashed, and never returned; every change is recorded in the change history by <see cref="UserAccounts"/>.</remarks>
internal static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/users", ListAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("The dashboard's accounts: id (user:<n>), name, role, whether locked.").Produces<AdminEndpoints.ItemList<UserItem>>();
        admin.MapPost("/users", CreateAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Create a dashboard account: {\"name\",\"role\":\"viewer|operator|admin\",\"password\"} (at least 12 characters).")
            .Produces<UserItem>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/users/{id}", DeleteAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Delete a dashboard account (id user:<n> or <n>); its sessions end on their next request.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<IResult> ListAsync(UserAccounts accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Results.Json(new AdminEndpoints.ItemList<UserItem>([.. (await accounts.ListAsync(cancellationToken)).Select(a => UserItem.From(a, now))]));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, UserAccounts accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return BudgetEndpoints.Invalid("body", "Send {\"name\",\"role\",\"password\"} as JSON.");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return BudgetEndpoints.Invalid("body", "Send {\"name\",\"role\",\"password\"} as JSON.");
        }

        if (AdminJsonBody.TextProblem(body) is { } text)
        {
            return BudgetEndpoints.Invalid("body", text);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return BudgetEndpoints.Invalid(property.Name, $"'{property.Name}' appears twice.");
            }

            if (property.Name is not ("name" or "role" or "password"))
            {
                return BudgetEndpoints.Invalid(property.Name, $"Unknown field '{property.Name}': send name, role and password.");
            }
        }

        var name = StringOf(body, "name");
        var role = StringOf(body, "role");
        var password = StringOf(body, "password");
        if (UserAccounts.Validate(name, role, password, out var parsedRole) is { } problem)
        {
            return BudgetEndpoints.Invalid(problem.Field, problem.Message);
        }

        var created = await accounts.CreateAsync(name!, parsedRole, password!, context.GetPrincipal(), cancellationToken);
        return created is null
            ? AdminEndpoints.Problem(409, "Name taken", $"An account named '{name}' exists.")
            : Results.Json(UserItem.From(created, time.GetUtcNow()), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var digits = id.StartsWith(UserAccount.PrincipalPrefix, StringComparison.Ordinal) ? id[UserAccount.PrincipalPrefix.Length..] : id;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var userId) || userId < 1)
        {
            return BudgetEndpoints.Invalid("id", "id is user:<n> or <n>, as GET /admin/api/users lists it.");
        }

        return await accounts.DeleteAsync(userId, context.GetPrincipal(), cancellationToken)
            ? Results.NoContent()
            : AdminEndpoints.Problem(404, "Unknown user", $"No account {id}.");
    }

    private static string? StringOf(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal sealed record UserItem(string Id, string Name, string Role, bool Locked, DateTimeOffset CreatedAt)
    {
        public static UserItem From(UserAccount account, DateTimeOffset now) =>
            new(account.ToPrincipal().Id, account.Name, account.Role.ToString().ToLowerInvariant(), account.LockedUntil > now, account.CreatedAt);
    }
}
