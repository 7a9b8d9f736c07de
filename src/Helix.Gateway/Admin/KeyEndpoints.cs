using System.Text.Json;
using Helix.Core.Principals;
using Helix.Gateway.Access;
using Helix.Gateway.DataPlane;

namespace Helix.Gateway.Admin;

/// <summary>API keys through the admin API: create (the key shown once), list (never the key), revoke. Admins only.</summary>
/// <remarks>
/// Each change is appended to the change history (<c>key.create</c>, <c>key.revoke</c>) with the key's description,
/// never the key or its hash, and the in-memory <see cref="KeyDirectory"/> is reloaded before the answer, so a new
/// key works and a revoked one is refused from the next request.
/// </remarks>
internal static class KeyEndpoints
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = ApiKeyService.MaxNameLength;

    /// <summary>The most operations a key may be limited to.</summary>
    public const int MaxOperations = 100;

    private const string Shape = "Send {\"name\":\"<name>\",\"role\":\"app|agent|viewer|operator|admin\"} and, for app and agent keys, optionally \"operations\":[\"<operation>\",...] and \"requestsPerMinute\":<n>.";

    public static RouteGroupBuilder MapKeyEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/keys", CreateAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Create an API key; the answer holds the key, shown this once (only its hash is stored).")
            .Produces<CreatedKeyBody>(StatusCodes.Status201Created);
        admin.MapGet("/keys", ListAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Every API key, revoked ones too, with lastUsedAt and revokedAt; never the key or its hash.")
            .Produces<AdminEndpoints.ItemList<KeyItem>>();
        admin.MapDelete("/keys/{id}", RevokeAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Revoke an API key; it is refused from the next request.")
            .Produces<KeyItem>().ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeyService keys, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, cancellationToken);
        }
        catch (JsonException)
        {
            return Invalid("body", "The body must be a JSON object. " + Shape);
        }

        using (document)
        {
            if (AdminJsonBody.TextProblem(document.RootElement) is { } text)
            {
                return Invalid("body", text);
            }

            if (!TryRead(document.RootElement, out var request, out var error))
            {
                return error;
            }

            var (record, secret) = await keys.CreateAsync(context.GetPrincipal(), request.Name, request.Role, request.Operations, request.RequestsPerMinute, cancellationToken);
            var item = KeyItem.From(record);
            return Results.Json(
                new CreatedKeyBody(record.Id, secret, item.Name, item.Role, item.Operations, item.RequestsPerMinute, item.CreatedAt, item.CreatedBy),
                statusCode: StatusCodes.Status201Created);
        }
    }

    private static async Task<IResult> ListAsync(IKeyStore store, KeyDirectory directory, CancellationToken cancellationToken)
    {
        // The uses noted in memory first, so lastUsedAt is current.
        await directory.FlushUsesAsync(cancellationToken);
        var keys = await store.ListAsync(cancellationToken);
        return Results.Json(new AdminEndpoints.ItemList<KeyItem>([.. keys.Select(KeyItem.From)]));
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(context.GetPrincipal(), id, cancellationToken) is { } change
            ? Results.Json(KeyItem.From(change.After))
            : AdminEndpoints.Problem(404, "Unknown key", $"No key has the id '{id}'.");

    private static bool TryRead(JsonElement body, out KeyRequest request, out IResult error)
    {
        request = default;
        error = Results.Empty;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = Invalid("body", "The body must be a JSON object. " + Shape);
            return false;
        }

        string? name = null;
        string? roleName = null;
        JsonElement? operations = null;
        JsonElement? perMinute = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                error = Invalid(property.Name, $"'{property.Name}' appears twice.");
                return false;
            }

            switch (property.Name)
            {
                case "name" when property.Value.ValueKind == JsonValueKind.String:
                    name = property.Value.GetString();
                    break;
                case "role" when property.Value.ValueKind == JsonValueKind.String:
                    roleName = property.Value.GetString();
                    break;
                case "operations":
                    operations = property.Value;
                    break;
                case "requestsPerMinute":
                    perMinute = property.Value;
                    break;
                case "name" or "role":
                    error = Invalid(property.Name, $"'{property.Name}' must be a string. " + Shape);
                    return false;
                default:
                    error = Invalid(property.Name, $"Unknown field '{property.Name}'. " + Shape);
                    return false;
            }
        }

        name = name?.Trim();
        if (!ApiKeyService.IsValidName(name))
        {
            error = Invalid("name", $"name is 1 to {MaxNameLength} characters without control characters.");
            return false;
        }

        if (!PrincipalRoles.TryParse(roleName, out var role))
        {
            error = Invalid("role", "role is one of app, agent, viewer, operator, admin.");
            return false;
        }

        List<string>? allowed = null;
        if (operations is { ValueKind: not JsonValueKind.Null } list)
        {
            if (!role.CallsDataPlane())
            {
                error = Invalid("operations", "Only app and agent keys are limited to operations; a person's key calls no operation.");
                return false;
            }

            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxOperations)
            {
                error = Invalid("operations", $"operations is an array of 1 to {MaxOperations} operation names, or null (or left out) for every operation.");
                return false;
            }

            allowed = [];
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString()!.Trim() is not { } operation || !OperationName.IsWellFormed(operation, out _))
                {
                    error = Invalid("operations", $"Each operation name is 1 to {OperationName.MaxLength} characters among ASCII letters, digits, '-', '_' and '.'.");
                    return false;
                }

                operation = operation.ToLowerInvariant();
                if (!allowed.Contains(operation, StringComparer.Ordinal))
                {
                    allowed.Add(operation);
                }
            }
        }

        int? rpm = null;
        if (perMinute is { ValueKind: not JsonValueKind.Null } limit)
        {
            if (!role.CallsDataPlane())
            {
                error = Invalid("requestsPerMinute", "Only app and agent keys have a data-plane rate limit.");
                return false;
            }

            if (limit.ValueKind != JsonValueKind.Number || !limit.TryGetInt32(out var value) || value is < 1 or > DataPlaneRateLimits.MaxRequestsPerMinute)
            {
                error = Invalid("requestsPerMinute", $"requestsPerMinute is a whole number from 1 to {DataPlaneRateLimits.MaxRequestsPerMinute}, or null for the default.");
                return false;
            }

            rpm = value;
        }

        request = new KeyRequest(name, role, allowed, rpm);
        return true;
    }

    private static IResult Invalid(string field, string detail) =>
        Results.Problem(title: "Invalid key", detail: detail, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["field"] = field });

    private readonly record struct KeyRequest(string Name, PrincipalRole Role, IReadOnlyList<string>? Operations, int? RequestsPerMinute);
}
