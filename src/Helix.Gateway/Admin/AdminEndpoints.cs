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

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin/api").WithTags("Admin").AddEndpointFilter<AdminAuthorizationFilter>();

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
        return Results.Json(new LogPageBody([.. page.Items.Select(LogItem.From)], page.NextBeforeId?.ToString(CultureInfo.InvariantCulture)));
    }

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
            if (!Enum.TryParse<UnknownPricePolicy>(update.UnknownPricePolicy, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problem(400, "Invalid route", $"unknownPricePolicy is 'flag' or 'block', not '{update.UnknownPricePolicy}'.");
            }

            policy = parsed;
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
