using System.Globalization;
using System.Text.Json;
using Helix.Core.Approvals;
using Helix.Core.Audit;
using Helix.Gateway.Access;

namespace Helix.Gateway.Admin;

/// <summary>Approval requests: list and read them (read access), approve or reject them (operate access, humans only).</summary>
/// <remarks>
/// The admin roles admit operators and admins; <see cref="ApprovalService"/> enforces again, unconditionally, that the
/// decider is a human operator or admin and not the requester, so an agent never decides, whatever its role. Each
/// decision is appended to the change history (<c>approval.approve</c>, <c>approval.reject</c>).
/// </remarks>
internal static class ApprovalEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapApprovalEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/approvals", ListAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("Approval requests, newest first: ?status=pending|approved|rejected|expired|consumed&limit=.")
            .Produces<AdminEndpoints.ItemList<ApprovalItem>>();
        admin.MapGet("/approvals/{id}", GetAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("One approval request and its status now.").Produces<ApprovalItem>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/approvals/{id}/approve", (string id, HttpContext context, ApprovalService approvals, IChangeHistory history, CancellationToken ct) =>
                DecideAsync(id, approve: true, context, approvals, history, ct)).RequireAccess(AdminAccess.Operate)
            .WithSummary("Approve a pending request (a human operator or admin who did not ask for it); optional {\"reason\"}. The caller's retry then passes once.")
            .Accepts<ApprovalDecisionBody>(isOptional: true, "application/json")
            .Produces<ApprovalItem>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/approvals/{id}/reject", (string id, HttpContext context, ApprovalService approvals, IChangeHistory history, CancellationToken ct) =>
                DecideAsync(id, approve: false, context, approvals, history, ct)).RequireAccess(AdminAccess.Operate)
            .WithSummary("Reject a pending request with {\"reason\":\"…\"} (required); the caller's retry gets approval_rejected.")
            .Accepts<ApprovalDecisionBody>("application/json")
            .Produces<ApprovalItem>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return admin;
    }

    private static async Task<IResult> ListAsync(string? status, string? limit, ApprovalService approvals, CancellationToken cancellationToken)
    {
        ApprovalStatus? filter = null;
        if (status is not null)
        {
            if (!ApprovalStatusNames.TryParse(status, out var parsed))
            {
                return BudgetEndpoints.Invalid("status", "status is pending, approved, rejected, expired or consumed.");
            }

            filter = parsed;
        }

        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            return BudgetEndpoints.Invalid("limit", "limit is a whole number from 1 to 1000.");
        }

        var items = await approvals.ListAsync(filter, size, cancellationToken);
        var now = approvals.Time.GetUtcNow();
        return Results.Json(new AdminEndpoints.ItemList<ApprovalItem>([.. items.Select(r => ApprovalItem.From(r, now))]));
    }

    private static async Task<IResult> GetAsync(string id, ApprovalService approvals, CancellationToken cancellationToken)
    {
        var request = await approvals.GetAsync(id, cancellationToken);
        return request is null
            ? AdminEndpoints.Problem(404, "approval_not_found", $"No approval has the id '{id}'.")
            : Results.Json(ApprovalItem.From(request, approvals.Time.GetUtcNow()));
    }

    private static async Task<IResult> DecideAsync(
        string id, bool approve, HttpContext context, ApprovalService approvals, IChangeHistory history, CancellationToken cancellationToken)
    {
        var (reason, invalid) = await ReadReasonAsync(context.Request, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }

        var decider = context.GetPrincipal();
        var result = approve
            ? await approvals.ApproveAsync(id, decider, reason, cancellationToken)
            : await approvals.RejectAsync(id, decider, reason, cancellationToken);
        if (!result.IsSuccess)
        {
            var error = result.Error;
            return error.Code is "reason_required" or "reason_too_long"
                ? BudgetEndpoints.Invalid("reason", error.Message)
                : AdminEndpoints.Problem(error.StatusCode, error.Code, error.Message);
        }

        var now = approvals.Time.GetUtcNow();
        var (before, after) = result.Value;
        var afterItem = ApprovalItem.From(after, now);
        await history.AppendAsync(new ChangeRecord(
            decider.Id, decider.Name, approve ? "approval.approve" : "approval.reject", id,
            JsonSerializer.Serialize(ApprovalItem.From(before, now), JsonSerializerOptions.Web),
            JsonSerializer.Serialize(afterItem, JsonSerializerOptions.Web)), cancellationToken);
        return Results.Json(afterItem);
    }

    // {"reason":"…"} or no body (an approval needs no reason); any other field or type is refused.
    private static async Task<(string? Reason, IResult? Invalid)> ReadReasonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, AdminEndpoints.Problem(413, "Body too large", $"The body is larger than {MaxBodyBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return (null, null);
        }

        if (buffer.Length > MaxBodyBytes)
        {
            return (null, AdminEndpoints.Problem(413, "Body too large", $"The body is larger than {MaxBodyBytes} bytes."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            return (null, BudgetEndpoints.Invalid("body", "The body must be a JSON object: {\"reason\":\"…\"}."));
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (null, BudgetEndpoints.Invalid("body", "The body must be a JSON object: {\"reason\":\"…\"}."));
            }

            string? reason = null;
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "reason")
                {
                    return (null, BudgetEndpoints.Invalid(property.Name, $"Unknown field '{property.Name}': the body is {{\"reason\":\"…\"}}."));
                }

                if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return (null, BudgetEndpoints.Invalid("reason", "reason is a string."));
                }

                reason = property.Value.GetString();
            }

            return (reason, null);
        }
    }
}
