using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helix.Core.Audit;
using Helix.Core.OperationLog;
using Helix.Gateway.Access;
using Helix.Gateway.Admin;

namespace Helix.Gateway.Audit;

/// <summary>The change history and the two chains' checks through the admin API.</summary>
internal static class AuditEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/audit", ListAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("The change history, newest first: ?limit=&cursor=&target=&action=&actor= (actor: id or name).")
            .Produces<AuditPage>();
        admin.MapGet("/audit/verify", async (IChangeHistory history, CancellationToken ct) => Results.Json(VerifyBody.From(await history.VerifyAsync(ct))))
            .RequireAccess(AdminAccess.Read)
            .WithSummary("Checks the change history's hash chain from its first entry and names the first broken entry.")
            .Produces<VerifyBody>();
        admin.MapGet("/logs/verify", async (IOperationLogChain log, CancellationToken ct) => Results.Json(VerifyBody.From(await log.VerifyAsync(ct))))
            .RequireAccess(AdminAccess.Read)
            .WithSummary("Checks the operation log's hash chain from its first row and names the first broken row.")
            .Produces<VerifyBody>();
        return admin;
    }

    private static async Task<IResult> ListAsync(
        IChangeHistory history, string? limit, string? cursor, string? target, string? action, string? actor, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            return BudgetEndpoints.Invalid("limit", $"limit is a whole number from 1 to {MaxPageSize}.");
        }

        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return BudgetEndpoints.Invalid("cursor", "cursor is a value returned as nextCursor.");
            }

            before = id;
        }

        // One entry more than asked tells whether another page exists.
        var entries = await history.ListAsync(new ChangeQuery(size + 1, before, NullIfEmpty(target), NullIfEmpty(action), NullIfEmpty(actor)), cancellationToken);
        var items = entries.Take(size).Select(AuditItem.From).ToArray();
        var next = entries.Count > size ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return Results.Json(new AuditPage(items, next));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal sealed record AuditPage(IReadOnlyList<AuditItem> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);

    /// <summary>An entry as the API shows it; before and after as the JSON they hold (null when absent).</summary>
    internal sealed record AuditItem(
        long Id, DateTimeOffset At, string ActorId, string ActorName, string Action, string Target,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Before,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? After,
        string PreviousHash, string Hash)
    {
        public static AuditItem From(ChangeEntry e) => new(
            e.Id, e.At, e.Change.ActorId, e.Change.ActorName, e.Change.Action, e.Change.Target, Json(e.Change.Before), Json(e.Change.After), e.PreviousHash, e.Hash);

        // Every recorder stores JSON; a string that is not JSON is shown as a JSON string rather than dropped.
        private static JsonElement? Json(string? text)
        {
            if (text is null)
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return JsonSerializer.SerializeToElement(text);
            }
        }
    }

    /// <summary>A chain check as the API shows it.</summary>
    internal sealed record VerifyBody(
        bool Intact, long Entries,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? FirstBrokenId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RetainedFromId = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Retention = null)
    {
        public static VerifyBody From(ChainVerification v) => new(
            v.IsIntact, v.Entries, v.FirstBrokenId, v.Reason, v.RetainedFromId,
            v.RetainedFromId is { } kept ? $"Rows before {kept} were removed by retention; the chain is checked from row {kept}, the oldest kept." : null);
    }
}
