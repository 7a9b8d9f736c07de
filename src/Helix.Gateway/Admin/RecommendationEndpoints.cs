using System.Globalization;
using System.Text.Json;
using Helix.Core.Recommendations;
using Helix.Gateway.Access;

namespace Helix.Gateway.Admin;

/// <summary>Recommendations over the admin API: read, propose (agents too), refresh, apply through an approval, dismiss with a reason.</summary>
internal static class RecommendationEndpoints
{
    private const string Shape = "Send {\"kind\":\"model_change|batch|retire|cache|cap|price_window\",\"operation\":\"<name>\",\"model\"?:\"<model>\",\"evidence\":{...}}.";

    public static RouteGroupBuilder MapRecommendationEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/recommendations", ListAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("Every recommendation, newest first (?status=open|dismissed), with its evidence and projected monthly savings.");
        admin.MapPost("/recommendations", ProposeAsync).RequireAccess(AdminAccess.Propose)
            .WithSummary("Propose a change with its evidence; a model change is priced by the savings calculator. Changes nothing.");
        admin.MapPost("/recommendations/refresh", RefreshAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Recompute Helix's own recommendations from the log and the price book now.");
        admin.MapPost("/recommendations/{id}/apply", ApplyAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Ask to apply a recommendation: 202 {\"approvalId\"}, nothing changes until another human operator or admin approves it; then it is applied once.");
        admin.MapPost("/recommendations/{id}/dismiss", DismissAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Dismiss a recommendation: {\"reason\":\"<why>\"} (required).");
        return admin;
    }

    private static async Task<IResult> ListAsync(RecommendationService recommendations, string? status, CancellationToken cancellationToken)
    {
        RecommendationStatus? wanted = status?.ToLowerInvariant() switch
        {
            null or "" => null,
            "open" => RecommendationStatus.Open,
            "dismissed" => RecommendationStatus.Dismissed,
            "applied" => RecommendationStatus.Applied,
            _ => (RecommendationStatus)(-1),
        };
        if (wanted is (RecommendationStatus)(-1))
        {
            return AdminEndpoints.Problem(400, "Invalid status", "status is open, dismissed or applied.");
        }

        var all = await recommendations.ListAsync(cancellationToken);
        return Results.Json(new AdminEndpoints.ItemList<RecommendationBody>([.. all.Where(r => wanted is null || r.Status == wanted).Select(RecommendationBody.From)]));
    }

    private static async Task<IResult> RefreshAsync(RecommendationService recommendations, CancellationToken cancellationToken)
    {
        var all = await recommendations.RefreshAsync(cancellationToken);
        return Results.Json(new AdminEndpoints.ItemList<RecommendationBody>([.. all.Select(RecommendationBody.From)]));
    }

    private static async Task<IResult> ProposeAsync(HttpContext context, RecommendationService recommendations, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Invalid(Shape);
        }

        if (AdminJsonBody.Problem(body, "kind", "operation", "model", "evidence") is { } problem)
        {
            return Invalid(problem + " " + Shape);
        }

        if (!body.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("operation", out var operation) || operation.ValueKind != JsonValueKind.String
            || !body.TryGetProperty("evidence", out var evidence) || evidence.ValueKind != JsonValueKind.Object)
        {
            return Invalid(Shape);
        }

        string? model = null;
        if (body.TryGetProperty("model", out var modelValue) && modelValue.ValueKind != JsonValueKind.Null)
        {
            if (modelValue.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(modelValue.GetString()))
            {
                return Invalid("model is a model id.");
            }

            model = modelValue.GetString();
        }

        var result = await recommendations.ProposeAsync(kind.GetString()!, operation.GetString()!, model, evidence.GetRawText(), context.GetPrincipal(), cancellationToken);
        return result.IsSuccess
            ? Results.Json(RecommendationBody.From(result.Value), statusCode: StatusCodes.Status201Created)
            : AdminEndpoints.Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
    }

    private static async Task<IResult> ApplyAsync(string id, HttpContext context, RecommendationApplier applier, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return AdminEndpoints.Problem(404, "Unknown recommendation", $"No recommendation '{id}'.");
        }

        var result = await applier.RequestAsync(number, context.GetPrincipal(), cancellationToken);
        if (!result.IsSuccess)
        {
            return AdminEndpoints.Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
        }

        var (recommendation, approval) = result.Value;
        var body = new RecommendationApplyBody(approval.Id, $"/admin/api/approvals/{approval.Id}", RecommendationBody.From(recommendation));
        return recommendation.Status == RecommendationStatus.Applied
            ? Results.Json(body)
            : Results.Json(body, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> DismissAsync(string id, HttpContext context, RecommendationService recommendations, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return AdminEndpoints.Problem(404, "Unknown recommendation", $"No recommendation '{id}'.");
        }

        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Invalid("Send {\"reason\":\"<why>\"}: dismissing needs a reason.");
        }

        if (AdminJsonBody.Problem(body, "reason") is { } problem)
        {
            return Invalid(problem + " Send {\"reason\":\"<why>\"}: dismissing needs a reason.");
        }

        if (!body.TryGetProperty("reason", out var reason) || reason.ValueKind != JsonValueKind.String)
        {
            return Invalid("Send {\"reason\":\"<why>\"}: dismissing needs a reason.");
        }

        var result = await recommendations.DismissAsync(number, reason.GetString()!, context.GetPrincipal(), cancellationToken);
        return result.IsSuccess
            ? Results.Json(RecommendationBody.From(result.Value))
            : AdminEndpoints.Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
    }

    private static IResult Invalid(string detail) => AdminEndpoints.Problem(400, "Invalid recommendation", detail);
}
