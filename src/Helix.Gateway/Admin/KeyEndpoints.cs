using System.Text.Json;
using Helix.Core.Principals;
using Helix.Gateway.Access;
using Helix.Gateway.DataPlane;

namespace Helix.Gateway.Admin;

/// <summary>API keys through the admin API: create (the key shown once), list (never the key), edit, revoke. Admins only.</summary>
/// <remarks>
/// Each change is appended to the change history (<c>key.create</c>, <c>key.update</c>, <c>key.revoke</c>) with the
/// key's description, never the key or its hash, and the in-memory <see cref="KeyDirectory"/> is reloaded before the
/// answer, so a new key works, an edited one has its new settings and a revoked one is refused from the next request.
/// </remarks>
internal static class KeyEndpoints
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = ApiKeyService.MaxNameLength;

    /// <summary>The most operations a key may be limited to.</summary>
    public const int MaxOperations = 100;

    private const string Shape = "Send {\"name\":\"<name>\",\"role\":\"app|agent|viewer|operator|admin\"} and, for app and agent keys, optionally \"operations\":[\"<operation>\",...] and \"requestsPerMinute\":<n>.";

    private const string EditShape = "Send any of {\"name\":\"<name>\",\"role\":\"app|agent|viewer|operator|admin\",\"operations\":[\"<operation>\",...]|null,\"requestsPerMinute\":<n>|null}; what is left out stays. A person's key has neither operations nor a rate limit: set both to null when giving an app or agent key a person's role.";

    public static RouteGroupBuilder MapKeyEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/keys", CreateAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Create an API key; the answer holds the key, shown this once (only its hash is stored).")
            .Produces<CreatedKeyBody>(StatusCodes.Status201Created);
        admin.MapGet("/keys", ListAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Every API key, revoked ones too, with lastUsedAt and revokedAt; never the key or its hash.")
            .Produces<AdminEndpoints.ItemList<KeyItem>>();
        admin.MapPatch("/keys/{id}", EditAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Change a key's name, role, operations or rate limit; what the body leaves out stays; effective from the next request.")
            .Accepts<KeyEditBody>("application/json")
            .Produces<KeyItem>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/keys/{id}", RevokeAsync).RequireAccess(AdminAccess.Administer)
            .WithSummary("Revoke an API key; it is refused from the next request.")
            .Produces<KeyItem>().ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var (fields, problem) = await ReadFieldsAsync(context, Shape, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryRead(fields, out var request, out var error))
        {
            return error;
        }

        var (record, secret) = await keys.CreateAsync(context.GetPrincipal(), request.Name, request.Role, request.Operations, request.RequestsPerMinute, cancellationToken);
        var item = KeyItem.From(record);
        return Results.Json(
            new CreatedKeyBody(record.Id, secret, item.Name, item.Role, item.Operations, item.RequestsPerMinute, item.CreatedAt, item.CreatedBy),
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(IKeyStore store, KeyDirectory directory, CancellationToken cancellationToken)
    {
        // The uses noted in memory first, so lastUsedAt is current.
        await directory.FlushUsesAsync(cancellationToken);
        var keys = await store.ListAsync(cancellationToken);
        return Results.Json(new AdminEndpoints.ItemList<KeyItem>([.. keys.Select(KeyItem.From)]));
    }

    private static async Task<IResult> EditAsync(string id, HttpContext context, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var (fields, problem) = await ReadFieldsAsync(context, EditShape, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var patch = new ApiKeyPatch
        {
            Name = fields.Name,
            Role = fields.Role,
            SetsOperations = fields.HasOperations,
            Operations = fields.Operations,
            SetsRequestsPerMinute = fields.HasRequestsPerMinute,
            RequestsPerMinute = fields.RequestsPerMinute,
        };
        if (patch.IsEmpty)
        {
            return Invalid("body", "The body changes nothing. " + EditShape);
        }

        var result = await keys.EditAsync(context.GetPrincipal(), id, patch, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error.StatusCode == StatusCodes.Status400BadRequest
                ? Results.Problem(title: "Invalid key", detail: result.Error.Message, statusCode: StatusCodes.Status400BadRequest)
                : AdminEndpoints.Problem(result.Error.StatusCode, result.Error.StatusCode == StatusCodes.Status404NotFound ? "Unknown key" : "Key not editable", result.Error.Message);
        }

        return Results.Json(KeyItem.From(result.Value));
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(context.GetPrincipal(), id, cancellationToken) is { } change
            ? Results.Json(KeyItem.From(change.After))
            : AdminEndpoints.Problem(404, "Unknown key", $"No key has the id '{id}'.");

    // The body's fields, each checked on its own, or what is wrong with the body.
    private static async Task<(KeyFields Fields, IResult? Problem)> ReadFieldsAsync(HttpContext context, string shape, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, cancellationToken);
        }
        catch (JsonException)
        {
            return (default, Invalid("body", "The body must be a JSON object. " + shape));
        }

        using (document)
        {
            if (AdminJsonBody.TextProblem(document.RootElement) is { } text)
            {
                return (default, Invalid("body", text));
            }

            return TryReadFields(document.RootElement, shape, out var fields, out var error) ? (fields, null) : (default, error);
        }
    }

    // A new key: a name and a role, and operations or a rate limit only for a key that calls the data plane.
    private static bool TryRead(KeyFields fields, out KeyRequest request, out IResult error)
    {
        request = default;
        error = Results.Empty;
        if (fields.Name is null)
        {
            error = Invalid("name", $"name is 1 to {MaxNameLength} characters without control characters.");
            return false;
        }

        if (fields.Role is not { } role)
        {
            error = Invalid("role", "role is one of app, agent, viewer, operator, admin.");
            return false;
        }

        if (!role.CallsDataPlane() && fields.Operations is not null)
        {
            error = Invalid("operations", "Only app and agent keys are limited to operations; a person's key calls no operation.");
            return false;
        }

        if (!role.CallsDataPlane() && fields.RequestsPerMinute is not null)
        {
            error = Invalid("requestsPerMinute", "Only app and agent keys have a data-plane rate limit.");
            return false;
        }

        request = new KeyRequest(fields.Name, role, fields.Operations, fields.RequestsPerMinute);
        return true;
    }

    // Each field the body holds, checked on its own; what the fields say together is the caller's to check.
    private static bool TryReadFields(JsonElement body, string shape, out KeyFields fields, out IResult error)
    {
        fields = default;
        error = Results.Empty;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = Invalid("body", "The body must be a JSON object. " + shape);
            return false;
        }

        JsonElement? name = null;
        JsonElement? roleName = null;
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
                    name = property.Value;
                    break;
                case "role" when property.Value.ValueKind == JsonValueKind.String:
                    roleName = property.Value;
                    break;
                case "operations":
                    operations = property.Value;
                    break;
                case "requestsPerMinute":
                    perMinute = property.Value;
                    break;
                case "name" or "role":
                    error = Invalid(property.Name, $"'{property.Name}' must be a string. " + shape);
                    return false;
                default:
                    error = Invalid(property.Name, $"Unknown field '{property.Name}'. " + shape);
                    return false;
            }
        }

        var trimmed = name?.GetString()?.Trim();
        if (name is not null && !ApiKeyService.IsValidName(trimmed))
        {
            error = Invalid("name", $"name is 1 to {MaxNameLength} characters without control characters.");
            return false;
        }

        PrincipalRole? role = null;
        if (roleName is { } roleValue)
        {
            if (!PrincipalRoles.TryParse(roleValue.GetString(), out var parsed))
            {
                error = Invalid("role", "role is one of app, agent, viewer, operator, admin.");
                return false;
            }

            role = parsed;
        }

        List<string>? allowed = null;
        if (operations is { ValueKind: not JsonValueKind.Null } list)
        {
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
            if (limit.ValueKind != JsonValueKind.Number || !limit.TryGetInt32(out var value) || value is < 1 or > DataPlaneRateLimits.MaxRequestsPerMinute)
            {
                error = Invalid("requestsPerMinute", $"requestsPerMinute is a whole number from 1 to {DataPlaneRateLimits.MaxRequestsPerMinute}, or null for the default.");
                return false;
            }

            rpm = value;
        }

        fields = new KeyFields(trimmed, role, operations is not null, allowed, perMinute is not null, rpm);
        return true;
    }

    private static IResult Invalid(string field, string detail) =>
        Results.Problem(title: "Invalid key", detail: detail, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["field"] = field });

    // Each field as read: null when left out; the operations and the rate limit also say whether the body held them (null included).
    private readonly record struct KeyFields(string? Name, PrincipalRole? Role, bool HasOperations, IReadOnlyList<string>? Operations, bool HasRequestsPerMinute, int? RequestsPerMinute);

    private readonly record struct KeyRequest(string Name, PrincipalRole Role, IReadOnlyList<string>? Operations, int? RequestsPerMinute);
}
