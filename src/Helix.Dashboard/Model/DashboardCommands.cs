using System.Globalization;
using System.Text.Json;
using Helix.Core.Alerts;
using Helix.Core.Alerts.Notifiers;
using Helix.Core.Audit;
using Helix.Core.Budgets;
using Helix.Core.Principals;
using Helix.Core.Routing;
using Helix.Core.Toggles;

namespace Helix.Dashboard.Model;

/// <summary>The dashboard's changes: each checks the actor's role on the server and records itself in the change history.</summary>
/// <remarks>
/// The same Core services the admin API uses (<see cref="RouteTable"/>, <see cref="BudgetService"/>, the alert store),
/// so a change here is effective on the next call exactly as one made through the API. A role that may not do
/// something is refused here even when a page would not offer the control. Thread-safe.
/// </remarks>
public sealed class DashboardCommands(
    RouteTable routes, BudgetService budgets, IAlertStore alerts, AlertDispatcher dispatcher, IChangeHistory history, TimeProvider time,
    ToggleTable toggles)
{
    private static readonly JsonSerializerOptions s_toggleJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Switches a toggle on or off (action <c>toggle.set</c>); a locked toggle is refused, whoever asks.</summary>
    public async Task<CommandResult> SetToggleAsync(Principal actor, string name, bool enabled, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        if (!toggles.Current.TryGet(name, out var existing))
        {
            return new CommandResult($"No toggle '{name}'.");
        }

        var result = await toggles.SetAsync(
            new ToggleUpdate(name, enabled, existing.Scope, existing.Subject, existing.Description, existing.Owner), actor.Id, cancellationToken);
        if (!result.IsSuccess)
        {
            return new CommandResult(result.Error!.Message);
        }

        var change = result.Value!;
        await history.AppendAsync(
            new ChangeRecord(actor.Id, actor.Name, "toggle.set", change.After!.Name, ToggleJson(change.Before), ToggleJson(change.After)), cancellationToken);
        return CommandResult.Done;
    }

    private static string? ToggleJson(ToggleConfig? toggle) => toggle is null ? null : JsonSerializer.Serialize(toggle, s_toggleJson);

    /// <summary>Sets an operation's primary model and ordered fallbacks (action <c>route.update</c>).</summary>
    public async Task<CommandResult> UpdateRouteModelsAsync(
        Principal actor, string operation, string primaryModel, IReadOnlyList<string> fallbackModels, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        routes.Current.TryGetRoute(operation, out var before);
        var result = await routes.UpdateModelsAsync(operation, primaryModel, fallbackModels, actor.Id, cancellationToken);
        if (!result.IsSuccess)
        {
            return new CommandResult(result.Error!.Message);
        }

        await history.AppendAsync(
            new ChangeRecord(actor.Id, actor.Name, "route.update", "route:" + operation, before?.Route is { } old ? RouteJson(old) : null, RouteJson(result.Value!)),
            cancellationToken);
        return CommandResult.Done;
    }

    /// <summary>Adds a budget, or replaces the one with the same scope, subject and period (action <c>budget.put</c>).</summary>
    public async Task<CommandResult> PutBudgetAsync(Principal actor, BudgetConfig budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        if (BudgetProblem(budget) is { } problem)
        {
            return new CommandResult(problem);
        }

        var before = budgets.List().FirstOrDefault(b => b.Budget.Scope == budget.Scope && b.Budget.Subject == budget.Subject && b.Budget.Period == budget.Period);
        var stored = await budgets.PutAsync(budget, cancellationToken);
        await history.AppendAsync(
            new ChangeRecord(actor.Id, actor.Name, "budget.put", BudgetTarget(stored.Id), before is null ? null : BudgetJson(before.Budget), BudgetJson(stored)),
            cancellationToken);
        return CommandResult.Done;
    }

    /// <summary>Deletes a budget (action <c>budget.delete</c>).</summary>
    public async Task<CommandResult> DeleteBudgetAsync(Principal actor, long id, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        var before = budgets.Find(id);
        if (before is null || !await budgets.DeleteAsync(id, cancellationToken))
        {
            return new CommandResult($"No budget {id}.");
        }

        await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "budget.delete", BudgetTarget(id), BudgetJson(before.Budget), null), cancellationToken);
        return CommandResult.Done;
    }

    /// <summary>Acknowledges or resolves an alert (actions <c>alert.acknowledge</c>, <c>alert.resolve</c>).</summary>
    public async Task<CommandResult> AdvanceAlertAsync(Principal actor, long id, AlertState state, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        var alert = await alerts.AdvanceAsync(id, state, time.GetUtcNow(), cancellationToken);
        if (alert is null)
        {
            return new CommandResult($"No alert {id}.");
        }

        var action = state == AlertState.Resolved ? "alert.resolve" : "alert.acknowledge";
        var after = JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id.ToString(CultureInfo.InvariantCulture), ["state"] = alert.State.ToString().ToLowerInvariant() });
        await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, action, "alert:" + id.ToString(CultureInfo.InvariantCulture), null, after), cancellationToken);
        return CommandResult.Done;
    }

    /// <summary>Sends a test alert to a notifier now; the error is the delivery's failure, if any.</summary>
    public async Task<CommandResult> SendTestAlertAsync(Principal actor, string notifier, CancellationToken cancellationToken = default)
    {
        if (Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return refused;
        }

        var config = (await alerts.GetNotifiersAsync(cancellationToken)).FirstOrDefault(n => n.Name == notifier);
        if (config is null)
        {
            return new CommandResult($"No notifier '{notifier}'.");
        }

        var error = await dispatcher.SendAsync(config, new AlertRecord
        {
            Type = "test",
            Severity = "info",
            Scope = "global",
            Subject = BudgetConfig.GlobalSubject,
            Message = $"A test alert from Helix to notifier '{notifier}', sent from the dashboard by {actor.Name}.",
            CreatedAt = time.GetUtcNow(),
            DedupeKey = "test",
        }, cancellationToken);
        return error is null ? CommandResult.Done : new CommandResult($"Notifier '{notifier}' did not accept the test alert: {error}");
    }

    /// <summary>The refusal of an action <paramref name="actor"/>'s role may not do, or <see langword="null"/>.</summary>
    public static CommandResult? Refuse(Principal actor, AdminAccess access)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsHuman && access.Admits(actor.Role)
            ? null
            : new CommandResult($"The role '{actor.Role.ToString().ToLowerInvariant()}' may not do this ({access.ToString().ToLowerInvariant()} access is needed).");
    }

    /// <summary>What is wrong with a budget, or <see langword="null"/>.</summary>
    public static string? BudgetProblem(BudgetConfig budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (budget.LimitUsd <= 0)
        {
            return "The limit is a positive amount of USD.";
        }

        if (budget.Scope != BudgetScope.Global && string.IsNullOrWhiteSpace(budget.Subject))
        {
            return "A user, operation or key budget names its subject.";
        }

        if (budget.Thresholds.Count == 0 || budget.Thresholds.Any(t => t <= 0 || t > 1))
        {
            return "Thresholds are fractions of the limit, above 0 and at most 1.";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(budget.TimeZone, out _))
        {
            return $"'{budget.TimeZone}' is not a known time zone (an IANA name such as Europe/Lisbon).";
        }

        return null;
    }

    private static string BudgetTarget(long id) => "budget:" + id.ToString(CultureInfo.InvariantCulture);

    private static string RouteJson(RouteConfig route) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["operation"] = route.Operation,
        ["primaryModel"] = route.PrimaryModel,
        ["fallbackModels"] = route.FallbackModels,
        ["version"] = route.Version,
    });

    private static string BudgetJson(BudgetConfig budget) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = budget.Id,
        ["scope"] = budget.Scope.ToString().ToLowerInvariant(),
        ["subject"] = budget.Subject,
        ["period"] = budget.Period.ToString().ToLowerInvariant(),
        ["limitUsd"] = budget.LimitUsd.ToString(CultureInfo.InvariantCulture),
        ["hard"] = budget.Hard,
        ["thresholds"] = budget.Thresholds.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray(),
        ["timeZone"] = budget.TimeZone,
    });
}
