using System.Globalization;
using System.Text.Json;
using Helix.Core.Approvals;
using Helix.Core.Routing;

namespace Helix.Gateway.Admin;

/// <summary>Checks the approval part of a route change and applies it to the route's current policy; every error names the field.</summary>
internal static class RouteApprovalRequest
{
    /// <summary>The largest threshold accepted: a million USD.</summary>
    public const decimal MaxThresholdUsd = 1_000_000m;

    public static (RouteApprovalPolicy? Policy, IResult? Error) Apply(
        RouteApprovalPolicy current, RouteApprovalUpdate? update, bool? moneyMoving, RouteDecision route, RoutingSnapshot snapshot)
    {
        var policy = current with { MoneyMoving = moneyMoving ?? current.MoneyMoving };
        if (update is null)
        {
            return (policy, null);
        }

        if (!ApprovalPolicyNames.TryParse(update.Policy, out var kind) || !ApprovalPolicyNames.IsRoutePolicy(kind))
        {
            return (null, BudgetEndpoints.Invalid("approval.policy", $"approval.policy is one of {string.Join(", ", ApprovalPolicyNames.All)}, not '{update.Policy}'."));
        }

        decimal? threshold = null;
        switch (update.ThresholdUsd.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                break;
            case JsonValueKind.String when decimal.TryParse(update.ThresholdUsd.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var text):
                threshold = text;
                break;
            case JsonValueKind.Number when update.ThresholdUsd.TryGetDecimal(out var number):
                threshold = number;
                break;
            default:
                return (null, ThresholdError());
        }

        if (threshold is < 0m or > MaxThresholdUsd)
        {
            return (null, ThresholdError());
        }

        if (kind == ApprovalPolicyKind.Above && threshold is null)
        {
            return (null, BudgetEndpoints.Invalid("approval.thresholdUsd", "approval.thresholdUsd is required with the policy 'above': the worst-case cost in USD above which a call needs approval."));
        }

        if (kind != ApprovalPolicyKind.Above && threshold is not null)
        {
            return (null, BudgetEndpoints.Invalid("approval.thresholdUsd", "approval.thresholdUsd applies only to the policy 'above'."));
        }

        var approved = current.ApprovedModels;
        if (update.ApprovedModels is { } models)
        {
            List<string> ids = [];
            foreach (var requested in models)
            {
                var model = string.IsNullOrWhiteSpace(requested) ? null : snapshot.FindModel(requested);
                if (model is null)
                {
                    return (null, BudgetEndpoints.Invalid("approval.approvedModels", $"Unknown model '{requested}' in approval.approvedModels."));
                }

                if (!ids.Contains(model.Id, StringComparer.OrdinalIgnoreCase))
                {
                    ids.Add(model.Id);
                }
            }

            approved = ids;
        }
        else if (kind == ApprovalPolicyKind.NewModel && current.Policy != ApprovalPolicyKind.NewModel && approved.Count == 0)
        {
            // Turning 'new-model' on approves the models already serving the route; later models need a decision.
            approved = [.. route.Targets.Select(t => t.Id)];
        }

        return (policy with { Policy = kind, ThresholdUsd = threshold, ApprovedModels = approved }, null);
    }

    private static IResult ThresholdError() =>
        BudgetEndpoints.Invalid("approval.thresholdUsd", $"approval.thresholdUsd is a decimal string of USD from 0 to {MaxThresholdUsd.ToString(CultureInfo.InvariantCulture)}, such as \"0.50\".");
}
