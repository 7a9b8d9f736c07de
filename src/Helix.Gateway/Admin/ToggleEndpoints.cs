using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Pipeline;
using Helix.Core.Toggles;
using Helix.Gateway.Access;

namespace Helix.Gateway.Admin;

/// <summary>Toggles and kill switches through the admin API; locked safety toggles are listed but never changed.</summary>
/// <remarks>
/// Every change is appended to the change history (<c>toggle.set</c>, <c>toggle.delete</c>) with the principal who
/// made it, and takes effect on the next call. A locked toggle answers 409 <c>toggle_locked</c> for every role.
/// </remarks>
internal static class ToggleEndpoints
{
    private const string Shape = "Send {\"enabled\":true|false} and optionally \"description\", \"owner\", \"scope\" (global, operation, provider, model) and \"subject\".";

    private static readonly JsonSerializerOptions s_historyJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static RouteGroupBuilder MapToggleEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/toggles", (ToggleTable toggles) => Results.Json(new AdminEndpoints.ItemList<ToggleItem>([.. toggles.Current.Toggles.Select(ToggleItem.From)])))
            .RequireAccess(AdminAccess.Read)
            .WithSummary("Every toggle: kill switches, feature toggles and the locked safety toggles (\"locked\":true).")
            .Produces<AdminEndpoints.ItemList<ToggleItem>>();
        admin.MapPut("/toggles/{**name}", PutAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Switch a toggle on or off, creating it when absent; effective on the next call. Kill switches: kill:global, kill:operation:<op>, kill:provider:<p>, kill:model:<provider/model>. A locked toggle answers 409 toggle_locked.")
            .Accepts<ToggleBody>("application/json")
            .Produces<ToggleItem>().Produces<ToggleItem>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/toggles/{**name}", DeleteAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Delete a toggle (it is off from the next call); a locked toggle answers 409 toggle_locked.")
            .Produces<ToggleItem>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return admin;
    }

    private static async Task<IResult> PutAsync(
        string name, HttpContext context, ToggleTable toggles, IChangeHistory history, CancellationToken cancellationToken)
    {
        name = Uri.UnescapeDataString(name);

        // A locked toggle is refused before its body is even read: no body makes it changeable.
        if (toggles.Safety.TryGet(name, out var locked))
        {
            return Error(ToggleTable.LockedRefusal(locked));
        }

        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return BudgetEndpoints.Invalid("body", $"The body must be a JSON object. {Shape}");
        }

        if (!TryRead(body, name, out var update, out var invalid))
        {
            return invalid;
        }

        var principal = context.GetPrincipal();
        var result = await toggles.SetAsync(update, principal.Id, cancellationToken);
        if (!result.IsSuccess)
        {
            return Error(result.Error);
        }

        var change = result.Value;
        await history.AppendAsync(new ChangeRecord(
            principal.Id, principal.Name, "toggle.set", change.After!.Name, Json(change.Before), Json(change.After)), cancellationToken);
        return Results.Json(ToggleItem.From(change.After), statusCode: change.Before is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> DeleteAsync(
        string name, HttpContext context, ToggleTable toggles, IChangeHistory history, CancellationToken cancellationToken)
    {
        name = Uri.UnescapeDataString(name);
        var result = await toggles.DeleteAsync(name, cancellationToken);
        if (!result.IsSuccess)
        {
            return Error(result.Error);
        }

        var principal = context.GetPrincipal();
        var before = result.Value.Before!;
        await history.AppendAsync(new ChangeRecord(principal.Id, principal.Name, "toggle.delete", before.Name, Json(before), null), cancellationToken);
        return Results.Json(ToggleItem.From(before));
    }

    private static bool TryRead(JsonElement body, string name, out ToggleUpdate update, out IResult invalid)
    {
        update = null!;
        invalid = Results.Empty;
        if (body.ValueKind != JsonValueKind.Object)
        {
            invalid = BudgetEndpoints.Invalid("body", $"The body must be a JSON object. {Shape}");
            return false;
        }

        bool? enabled = null;
        ToggleScope? scope = null;
        string? subject = null, description = null, owner = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "enabled" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    enabled = value.GetBoolean();
                    break;
                case "enabled":
                    invalid = BudgetEndpoints.Invalid("enabled", "enabled is true or false.");
                    return false;
                case "scope" when value.ValueKind == JsonValueKind.String && TryScope(value.GetString()!, out var parsed):
                    scope = parsed;
                    break;
                case "scope":
                    invalid = BudgetEndpoints.Invalid("scope", "scope is one of global, operation, provider, model.");
                    return false;
                case "subject" or "description" or "owner" when value.ValueKind == JsonValueKind.Null:
                    break;
                case "subject" or "description" or "owner" when value.ValueKind == JsonValueKind.String:
                    var text = value.GetString()!.Trim();
                    if (text.Length == 0 || text.Length > ToggleTable.MaxTextLength)
                    {
                        invalid = BudgetEndpoints.Invalid(property.Name, $"{property.Name} is a string of 1 to {ToggleTable.MaxTextLength} characters.");
                        return false;
                    }

                    if (property.Name == "subject")
                    {
                        subject = text;
                    }
                    else if (property.Name == "description")
                    {
                        description = text;
                    }
                    else
                    {
                        owner = text;
                    }

                    break;
                case "subject" or "description" or "owner":
                    invalid = BudgetEndpoints.Invalid(property.Name, $"{property.Name} is a string.");
                    return false;
                default:
                    invalid = BudgetEndpoints.Invalid(property.Name, $"Unknown field '{property.Name}'. {Shape}");
                    return false;
            }
        }

        if (enabled is null)
        {
            invalid = BudgetEndpoints.Invalid("enabled", $"enabled is required. {Shape}");
            return false;
        }

        update = new ToggleUpdate(name, enabled.Value, scope, subject, description, owner);
        return true;
    }

    private static bool TryScope(string text, out ToggleScope scope)
    {
        // Names only: Enum.TryParse would take "1" or "Global, Model" too.
        var match = Array.Find(Enum.GetNames<ToggleScope>(), n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        scope = match is null ? default : Enum.Parse<ToggleScope>(match);
        return match is not null;
    }

    private static IResult Error(GatewayError error) => Results.Problem(
        title: error.Code,
        detail: error.Message,
        statusCode: error.StatusCode,
        extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    private static string? Json(ToggleConfig? toggle) =>
        toggle is null ? null : JsonSerializer.Serialize(ToggleItem.From(toggle), s_historyJson);
}
