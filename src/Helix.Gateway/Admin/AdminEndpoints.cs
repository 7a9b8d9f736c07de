using System.Globalization;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Gateway.Admin;

/// <summary>Maps the admin REST API under <c>/admin/api</c>, behind the admin bearer key; errors are ProblemDetails.</summary>
internal static class AdminEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    /// <summary>The most a page of the log may weigh, about: 4 MiB.</summary>
    internal const long MaxPageBytes = 4L * 1024 * 1024;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        // Authentication is AdminAuthorizationMiddleware's, which runs before any body is bound.
        var admin = endpoints.MapGroup("/admin/api").WithTags("Admin");

        admin.MapGet("/logs", GetLogsAsync).WithSummary("The operation log, newest first; one row per attempt.");
        admin.MapGet("/routes", (RouteTable routes) => Results.Json(new ItemList<RouteItem>([.. routes.Current.Routes.Select(RouteItem.From)])))
            .WithSummary("Every operation's route.");
        admin.MapGet("/routes/{operation}/history", GetRouteHistoryAsync).WithSummary("Every version of a route, newest first.");
        admin.MapPut("/routes/{operation}", PutRouteAsync).WithSummary("Change an operation's models; effective on the next call.");
        admin.MapGet("/models", GetModels).WithSummary("The model catalog, with whether each model has a price now.");
        admin.MapAlertEndpoints();
        admin.MapBudgetEndpoints();
        admin.MapPriceEndpoints();
        admin.MapReconciliationEndpoints();
        return endpoints;
    }

    private static async Task<IResult> GetLogsAsync(
        IOperationLogStore store, string? operation, string? user, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            return Problem(400, "Invalid limit", $"'limit' must be a whole number from 1 to {MaxPageSize}.");
        }

        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return Problem(400, "Invalid cursor", "'cursor' must be a value returned as nextCursor.");
            }

            before = id;
        }

        var page = await store.QueryAsync(new LogQuery(NullIfEmpty(operation), NullIfEmpty(user), size, before), cancellationToken);

        // A page is bounded in bytes as well as in rows: rows logged before strings were bounded may be large. The
        // page ends at the row that reaches the bound (always at least one row) and its cursor continues from there.
        var items = new List<LogItem>(page.Items.Count);
        var bytes = 0L;
        var next = page.NextBeforeId;
        foreach (var entry in page.Items)
        {
            items.Add(LogItem.From(entry));
            bytes += EstimatedJsonBytes(entry);
            if (bytes >= MaxPageBytes && items.Count < page.Items.Count)
            {
                next = entry.Id;
                break;
            }
        }

        return Results.Json(new LogPageBody(items, next?.ToString(CultureInfo.InvariantCulture)));
    }

    // Field names, numbers and fixed strings fit in 1 KB; free-form strings may triple when escaped.
    private static long EstimatedJsonBytes(OperationLogEntry entry) =>
        1024L + (3L * ((entry.User?.Length ?? 0) + entry.Operation.Length + entry.Principal.Length + entry.Model.Length
            + (entry.ReportedModel?.Length ?? 0) + (entry.ErrorCode?.Length ?? 0) + (entry.CostReason?.Length ?? 0)
            + (entry.PriceSource?.Length ?? 0) + (entry.ProviderRequestId?.Length ?? 0)));

    private static async Task<IResult> GetRouteHistoryAsync(string operation, RouteTable routes, IRouteStore store, CancellationToken cancellationToken)
    {
        if (!routes.Current.TryGetRoute(operation, out _))
        {
            return Problem(404, "Unknown operation", $"No operation named '{operation}'.");
        }

        var history = await store.GetRouteHistoryAsync(operation, cancellationToken);
        return Results.Json(new ItemList<RouteItem>([.. history.Select(RouteItem.From)]));
    }

    private static async Task<IResult> PutRouteAsync(string operation, RouteUpdate? update, RouteTable routes, CancellationToken cancellationToken)
    {
        if (update is null || (update.PrimaryModel is null && update.FallbackModels is null && update.UnknownPricePolicy is null)
            || (update.PrimaryModel is not null && string.IsNullOrWhiteSpace(update.PrimaryModel)))
        {
            return Problem(400, "Invalid route", "Send {\"primaryModel\":\"<model>\",\"fallbackModels\":[...],\"unknownPricePolicy\":\"flag|block\"}; fallbackModels needs primaryModel.");
        }

        UnknownPricePolicy? policy = null;
        if (update.UnknownPricePolicy is not null)
        {
            // Names only: Enum.TryParse would take "1" or "Flag, Block" too.
            policy = update.UnknownPricePolicy.ToLowerInvariant() switch
            {
                "flag" => UnknownPricePolicy.Flag,
                "block" => UnknownPricePolicy.Block,
                _ => null,
            };
            if (policy is null)
            {
                return Problem(400, "Invalid route", $"unknownPricePolicy is 'flag' or 'block', not '{update.UnknownPricePolicy}'.");
            }
        }

        var result = await routes.UpdateAsync(operation, new RouteChange(update.PrimaryModel, update.FallbackModels, policy), "admin", cancellationToken);
        if (!result.IsSuccess)
        {
            return Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
        }

        return Results.Json(RouteItem.From(result.Value));
    }

    private static IResult GetModels(RouteTable routes, CostEngine costs, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var items = routes.Current.Models.Values
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m =>
            {
                costs.TryFindPrice(m.Provider, m.ProviderModel, null, now, out var price);
                return new ModelItem(m.Id, m.Provider, m.ProviderModel, m.Modality.ToString().ToLowerInvariant(), price is not null, price?.Source, price?.SourceDate);
            })
            .ToArray();
        return Results.Json(new ItemList<ModelItem>(items));
    }

    internal static IResult Problem(int status, string title, string detail) =>
        Results.Problem(title: title, detail: detail, statusCode: status);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal sealed record ItemList<T>(IReadOnlyList<T> Items);

    internal sealed record LogPageBody(
        IReadOnlyList<LogItem> Items,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? NextCursor);

    internal sealed record ModelItem(string Id, string Provider, string ProviderModel, string Modality, bool Priced, string? PriceSource, DateOnly? PriceSourceDate);
}
