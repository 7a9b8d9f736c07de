using System.Globalization;
using Helix.Core.Approvals;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Principals;
using Helix.Core.Routing;
using Helix.Core.Toggles;
using Helix.Gateway.Access;
using Helix.Gateway.Audit;

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
        var admin = endpoints.MapGroup("/admin/api").WithTags("Admin")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        admin.MapGet("/logs", GetLogsAsync).RequireAccess(AdminAccess.Read).WithSummary("The operation log, newest first; one row per attempt.").Produces<LogPageBody>();
        admin.MapGet("/routes", (RouteTable routes, ApprovalPolicyTable approvals) => Results.Json(new ItemList<RouteItem>([.. routes.Current.Routes.Select(r => RouteItem.From(r, approvals))]))).RequireAccess(AdminAccess.Read)
            .WithSummary("Every operation's route.").Produces<ItemList<RouteItem>>();
        admin.MapGet("/routes/{operation}/history", GetRouteHistoryAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("Every version of a route, newest first, with who made each change; a retired operation's too.")
            .Produces<ItemList<RouteItem>>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/routes", PostRouteAsync).RequireAccess(AdminAccess.Operate).RefuseAgentsWhile(ToggleNames.AgentsCannotChangeRoutes)
            .WithSummary("Create an operation (name: lowercase letters, digits, dashes); a retired one continues its history.")
            .Produces<RouteItem>(StatusCodes.Status201Created);
        admin.MapPut("/routes/{operation}", PutRouteAsync).RequireAccess(AdminAccess.Operate).RefuseAgentsWhile(ToggleNames.AgentsCannotChangeRoutes)
            .WithSummary("Change an operation's models, unknown-price policy, output cap or approval policy; what the body leaves out stays; effective on the next call.")
            .Produces<RouteItem>();
        admin.MapDelete("/routes/{operation}", DeleteRouteAsync).RequireAccess(AdminAccess.Operate).RefuseAgentsWhile(ToggleNames.AgentsCannotChangeRoutes)
            .WithSummary("Retire an operation: it answers unknown_operation from the next call; its history stays.")
            .Produces<RouteItem>();
        admin.MapGet("/models", GetModels).RequireAccess(AdminAccess.Read).WithSummary("The model catalog, with whether each model has a price now.").Produces<ItemList<ModelItem>>();
        admin.MapAlertEndpoints();
        admin.MapBudgetEndpoints();
        admin.MapPriceEndpoints();
        admin.MapReconciliationEndpoints();
        admin.MapApprovalEndpoints();
        admin.MapKeyEndpoints();
        admin.MapUserEndpoints();
        admin.MapToggleEndpoints();
        admin.MapSavingsEndpoints();
        admin.MapExperimentEndpoints();
        admin.MapRecommendationEndpoints();
        admin.MapAuditEndpoints();
        return endpoints;
    }

    private static async Task<IResult> GetLogsAsync(
        IOperationLogStore store, KeyDirectory keys, string? operation, string? user, string? limit, string? cursor, CancellationToken cancellationToken)
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
            items.Add(LogItem.From(entry, keys.NameOf(entry.Principal)));
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

    private static async Task<IResult> GetRouteHistoryAsync(string operation, IRouteStore store, CancellationToken cancellationToken)
    {
        // Read from the store, not the snapshot: a retired operation's history stays readable.
        var history = await store.GetRouteHistoryAsync(operation, cancellationToken);
        return history.Count == 0
            ? Problem(404, "Unknown operation", $"No operation named '{operation}' was ever created.")
            : Results.Json(new ItemList<RouteItem>([.. history.Select(RouteItem.From)]));
    }

    private static Task<IResult> PutRouteAsync(
        string operation, RouteUpdate? update, HttpContext context, RouteTable routes, ApprovalPolicyTable approvals, ChangeRecorder recorder,
        TimeProvider time, CancellationToken cancellationToken) =>
        recorder.ChangeAsync(context, ct => UpdateRouteAsync(operation, update, context.GetPrincipal().Id, routes, approvals, time, ct), cancellationToken);

    private static async Task<AdminChange> UpdateRouteAsync(
        string operation, RouteUpdate? update, string actor, RouteTable routes, ApprovalPolicyTable approvals, TimeProvider time, CancellationToken cancellationToken)
    {
        const string Shape = "Send any of {\"primaryModel\":\"<model>\",\"fallbackModels\":[...],\"unknownPricePolicy\":\"flag|block\",\"maxOutputTokens\":<n>|null,\"approval\":{\"policy\":\"never|always|above|money-moving|new-model\",\"thresholdUsd\":\"<usd>\"},\"moneyMoving\":true|false}; what is left out stays as it is.";
        if (update is null || (update.PrimaryModel is not null && string.IsNullOrWhiteSpace(update.PrimaryModel)))
        {
            return AdminChange.None(Problem(400, "Invalid route", Shape));
        }

        if (!TryParsePolicy(update.UnknownPricePolicy, out var policy, out var policyError))
        {
            return AdminChange.None(policyError);
        }

        int? cap = null;
        var removeCap = false;
        switch (update.MaxOutputTokens.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Undefined:
                break;
            case System.Text.Json.JsonValueKind.Null:
                removeCap = true;
                break;
            case System.Text.Json.JsonValueKind.Number when update.MaxOutputTokens.TryGetInt32(out var value):
                cap = value;
                break;
            default:
                return AdminChange.None(Problem(400, "Invalid route", $"maxOutputTokens is a whole number from 1 to {RouteTable.MaxOutputTokensLimit}, or null to remove the cap."));
        }

        var change = new RouteChange(update.PrimaryModel, update.FallbackModels, policy, cap, removeCap);
        var changesApproval = update.Approval is not null || update.MoneyMoving is not null;
        if (change.IsEmpty && !changesApproval)
        {
            return AdminChange.None(Problem(400, "Invalid route", Shape));
        }

        if (!routes.Current.TryGetRoute(operation, out var current))
        {
            var unknown = Helix.Core.Pipeline.GatewayError.UnknownOperation(operation);
            return AdminChange.None(Problem(unknown.StatusCode, unknown.Code, unknown.Message));
        }

        // Everything is checked before anything changes: a bad approval part leaves the models as they were too.
        RouteApprovalPolicy? newApproval = null;
        if (changesApproval)
        {
            var parsed = RouteApprovalRequest.Apply(approvals.Get(current.Route.Operation), update.Approval, update.MoneyMoving, current, routes.Current);
            if (parsed.Error is { } approvalError)
            {
                return AdminChange.None(approvalError);
            }

            newApproval = parsed.Policy;
        }

        var beforeItem = RouteItem.From(current.Route, approvals);
        var route = current.Route;
        if (!change.IsEmpty)
        {
            var result = await routes.UpdateAsync(operation, change, actor, cancellationToken);
            if (!result.IsSuccess)
            {
                return AdminChange.None(Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message));
            }

            route = result.Value;
        }

        if (newApproval is not null)
        {
            await approvals.SaveAsync(newApproval with { Operation = route.Operation, UpdatedAt = time.GetUtcNow(), UpdatedBy = actor }, cancellationToken);
        }

        var afterItem = RouteItem.From(route, approvals);
        return AdminChange.Made(
            Results.Json(afterItem), "route.update", route.Operation,
            ChangeJson.Of(beforeItem, System.Text.Json.JsonSerializerOptions.Web), ChangeJson.Of(afterItem, System.Text.Json.JsonSerializerOptions.Web));
    }

    // The route as it stands in the store (a retired one included), as the admin API shows it.
    private static async Task<string?> CurrentRouteJsonAsync(IRouteStore store, string operation, CancellationToken cancellationToken)
    {
        var history = await store.GetRouteHistoryAsync(operation, cancellationToken);
        return history.Count == 0 ? null : ChangeJson.Of(RouteItem.From(history[0]));
    }

    private static AdminChange RouteChanged(Helix.Core.Pipeline.Result<RouteConfig> result, string action, string? before, int status = StatusCodes.Status200OK)
    {
        if (!result.IsSuccess)
        {
            return AdminChange.None(Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message));
        }

        var item = RouteItem.From(result.Value);
        return AdminChange.Made(Results.Json(item, statusCode: status), action, item.Operation, before, ChangeJson.Of(item));
    }

    private static Task<IResult> PostRouteAsync(
        RouteCreation? creation, RouteTable routes, IRouteStore store, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken) =>
        recorder.ChangeAsync(context, ct => CreateRouteAsync(creation, routes, store, context.GetPrincipal().Id, ct), cancellationToken);

    private static async Task<AdminChange> CreateRouteAsync(RouteCreation? creation, RouteTable routes, IRouteStore store, string actor, CancellationToken cancellationToken)
    {
        if (creation?.Operation is null || string.IsNullOrWhiteSpace(creation.PrimaryModel))
        {
            return AdminChange.None(Problem(400, "Invalid route",
                "Send {\"operation\":\"<name>\",\"primaryModel\":\"<model>\"} and optionally fallbackModels, modality, unknownPricePolicy and maxOutputTokens."));
        }

        if (!TryParsePolicy(creation.UnknownPricePolicy, out var policy, out var policyError))
        {
            return AdminChange.None(policyError);
        }

        Modality? modality = null;
        if (creation.Modality is not null)
        {
            // Names only: Enum.TryParse would take "1" or "Chat, Speech" too.
            var name = Array.Find(Enum.GetNames<Modality>(), n => string.Equals(n, creation.Modality, StringComparison.OrdinalIgnoreCase));
            if (name is null || !Enum.TryParse<Modality>(name, out var parsed))
            {
                return AdminChange.None(Problem(400, "Invalid route", $"modality is one of {string.Join(", ", Enum.GetNames<Modality>().Select(n => n.ToLowerInvariant()))}, not '{creation.Modality}'."));
            }

            modality = parsed;
        }

        // A retired operation created again continues its history: its last version is the "before".
        var before = OperationNames.IsValid(creation.Operation) ? await CurrentRouteJsonAsync(store, creation.Operation, cancellationToken) : null;
        var result = await routes.CreateAsync(
            new NewRoute(creation.Operation, creation.PrimaryModel, creation.FallbackModels, modality, policy, creation.MaxOutputTokens),
            actor,
            cancellationToken);
        return RouteChanged(result, "route.create", before, StatusCodes.Status201Created);
    }

    private static Task<IResult> DeleteRouteAsync(
        string operation, RouteTable routes, IRouteStore store, ChangeRecorder recorder, HttpContext context, CancellationToken cancellationToken) =>
        recorder.ChangeAsync(context, async ct =>
        {
            var before = await CurrentRouteJsonAsync(store, operation, ct);
            var result = await routes.RetireAsync(operation, context.GetPrincipal().Id, ct);
            return RouteChanged(result, "route.retire", before);
        }, cancellationToken);

    private static bool TryParsePolicy(string? text, out UnknownPricePolicy? policy, out IResult error)
    {
        policy = null;
        error = Results.Empty;
        if (text is null)
        {
            return true;
        }

        // Names only: Enum.TryParse would take "1" or "Flag, Block" too.
        UnknownPricePolicy? parsed = text.ToLowerInvariant() switch
        {
            "flag" => UnknownPricePolicy.Flag,
            "block" => UnknownPricePolicy.Block,
            _ => null,
        };
        if (parsed is null)
        {
            error = Problem(400, "Invalid route", $"unknownPricePolicy is 'flag' or 'block', not '{text}'.");
            return false;
        }

        policy = parsed;
        return true;
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
