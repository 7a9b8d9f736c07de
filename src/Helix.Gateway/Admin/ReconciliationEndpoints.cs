using System.Globalization;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Helix.Gateway.Access;
using Helix.Gateway.Audit;

namespace Helix.Gateway.Admin;

/// <summary>Reconciliation through the admin API: post a provider's billing export, get ours-vs-theirs per day and model.</summary>
/// <remarks>Every report is stored so the dashboard can show it; <c>passed</c> is false when any bucket is off by more than the tolerance.</remarks>
internal static class ReconciliationEndpoints
{
    public static RouteGroupBuilder MapReconciliationEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/reconciliations", PostAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Reconcile a provider's billing export (body) against the operation log: ?provider=openai|anthropic|gemini|deepgram&tolerance=0.01.");
        admin.MapGet("/reconciliations", ListAsync).RequireAccess(AdminAccess.Read).WithSummary("Stored reconciliation reports, newest first.");
        admin.MapGet("/reconciliations/{id:long}", GetAsync).RequireAccess(AdminAccess.Read).WithSummary("One stored reconciliation report.");
        return admin;
    }

    private static async Task<IResult> PostAsync(
        HttpRequest request, string? provider, string? tolerance, ReconciliationService reconciliation, ChangeRecorder recorder, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            return AdminEndpoints.Problem(400, "Missing provider", $"Name the export's provider: ?provider={string.Join("|", ReconciliationFormats.SupportedProviders)}.");
        }

        decimal? relative = null;
        if (tolerance is not null)
        {
            if (!decimal.TryParse(tolerance, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) || parsed is < 0m or > 1m)
            {
                return AdminEndpoints.Problem(400, "Invalid tolerance", "'tolerance' is a fraction from 0 to 1 (0.01 = 1%).");
            }

            relative = parsed;
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return await recorder.ChangeAsync(context, async ct =>
        {
            var result = await reconciliation.ReconcileAsync(context.GetPrincipal(), provider, text, relative, ct);
            if (!result.IsSuccess)
            {
                var title = result.Error.Code switch
                {
                    "unsupported_provider" => "Unsupported provider",
                    "empty_billing_export" => "Empty billing export",
                    "invalid_tolerance" => "Invalid tolerance",
                    _ => "Invalid billing export",
                };
                return AdminChange.None(AdminEndpoints.Problem(400, title, result.Error.Message));
            }

            var (saved, change) = result.Value;
            return AdminChange.Made(Results.Json(saved, ReconciliationReport.SerializerOptions), change.Action, change.Target, change.Before, change.After);
        }, cancellationToken);
    }

    private static async Task<IResult> ListAsync(IReconciliationStore store, int? limit, CancellationToken cancellationToken)
    {
        var reports = await store.ListAsync(Math.Clamp(limit ?? 20, 1, 200), cancellationToken);
        return Results.Json(new { items = reports }, ReconciliationReport.SerializerOptions);
    }

    private static async Task<IResult> GetAsync(long id, IReconciliationStore store, CancellationToken cancellationToken)
    {
        var report = await store.GetAsync(id, cancellationToken);
        return report is null
            ? AdminEndpoints.Problem(404, "Unknown reconciliation", $"No reconciliation report {id}.")
            : Results.Json(report, ReconciliationReport.SerializerOptions);
    }
}
