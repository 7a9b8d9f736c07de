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
    // Calls are logged with Unix-millisecond timestamps; a day outside these bounds can hold none of them.
    private static readonly DateOnly s_earliestDay = new(1970, 1, 2);
    private static readonly DateOnly s_latestDay = new(9999, 12, 29);

    public static RouteGroupBuilder MapReconciliationEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/reconciliations", PostAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Reconcile a provider's billing export (body) against the operation log: ?provider=openai|anthropic|gemini|deepgram&tolerance=0.01.");
        admin.MapGet("/reconciliations", ListAsync).RequireAccess(AdminAccess.Read).WithSummary("Stored reconciliation reports, newest first.");
        admin.MapGet("/reconciliations/{id:long}", GetAsync).RequireAccess(AdminAccess.Read).WithSummary("One stored reconciliation report.");
        return admin;
    }

    private static async Task<IResult> PostAsync(
        HttpRequest request, string? provider, string? tolerance, IOperationLogStore log, IReconciliationStore store,
        CostEngine costs, TimeProvider time, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            return AdminEndpoints.Problem(400, "Missing provider", $"Name the export's provider: ?provider={string.Join("|", ReconciliationFormats.SupportedProviders)}.");
        }

        var options = new ReconciliationOptions { PriceBook = costs.Book };
        if (tolerance is not null)
        {
            if (!decimal.TryParse(tolerance, NumberStyles.Number, CultureInfo.InvariantCulture, out var relative) || relative is < 0m or > 1m)
            {
                return AdminEndpoints.Problem(400, "Invalid tolerance", "'tolerance' is a fraction from 0 to 1 (0.01 = 1%).");
            }

            options = options with { Tolerance = relative };
        }

        IBillingExportParser parser;
        try
        {
            parser = ReconciliationFormats.Get(provider);
        }
        catch (ArgumentException ex)
        {
            return AdminEndpoints.Problem(400, "Unsupported provider", ex.Message);
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        BillingExport export;
        try
        {
            export = parser.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or ArgumentOutOfRangeException or OverflowException or InvalidOperationException)
        {
            return AdminEndpoints.Problem(400, "Invalid billing export", ex.Message);
        }

        if (export.Lines.Count == 0 && export.From is null)
        {
            return AdminEndpoints.Problem(400, "Empty billing export", "The export has no cost lines and no period.");
        }

        var from = export.From ?? export.Lines.Min(l => l.Day);
        var to = export.To ?? export.Lines.Max(l => l.Day);
        if (from < s_earliestDay || to > s_latestDay || to < from)
        {
            return AdminEndpoints.Problem(400, "Invalid billing export",
                $"The export's days run from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; days from {s_earliestDay:yyyy-MM-dd} to {s_latestDay:yyyy-MM-dd}, in order, are accepted.");
        }
        var ours = new List<OperationLogEntry>();
        await foreach (var entry in log.ReadRangeAsync(
            new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1),
            new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(2),
            cancellationToken))
        {
            ours.Add(entry);
        }

        var report = new Reconciler(time).Reconcile(export, ours, options);
        return await recorder.ChangeAsync(context, async ct =>
        {
            var saved = await store.SaveAsync(report, ct);

            // The report is stored whole beside its entry; the entry says what was uploaded and what it found.
            var summary = new
            {
                id = saved.Id,
                provider = saved.Provider,
                from = saved.From,
                to = saved.To,
                passed = saved.Passed,
                tolerance = saved.Tolerance,
                billedLines = export.Lines.Count,
                mispricedModels = saved.MispricedModels,
            };
            return AdminChange.Made(
                Results.Json(saved, ReconciliationReport.SerializerOptions), "reconciliation.create",
                saved.Id.ToString(CultureInfo.InvariantCulture), null, ChangeJson.Of(summary));
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
