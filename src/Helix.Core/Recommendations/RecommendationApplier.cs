using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Approvals;
using Helix.Core.Audit;
using Helix.Core.Pipeline;
using Helix.Core.Principals;
using Helix.Core.Routing;
using Helix.Core.Savings;
using Microsoft.Extensions.Options;

namespace Helix.Core.Recommendations;

/// <summary>
/// Applies a recommendation through the approval gate: asking changes nothing and answers an approval id; a human
/// operator's or admin's approval (another human than the one who asked, as for every approval) applies it exactly once.
/// </summary>
/// <remarks>
/// <para>
/// What a kind applies: <c>model_change</c> makes the model the route's primary (the old primary becomes the first
/// fallback); <c>retire</c> takes the model out of the route (a primary is replaced by its first fallback); <c>cap</c>
/// sets the route's output cap to the evidence's <c>maxOutputTokens</c>. <c>batch</c>, <c>cache</c> and
/// <c>price_window</c> change how callers send their calls (a service tier, a cache marker, a time of day), which no
/// route setting holds: they are refused (409 <c>not_applicable</c>) before any approval is asked.
/// </para>
/// <para>
/// The approval (policy <see cref="ApprovalPolicyKind.Recommendation"/>) is bound to the change by the SHA-256 of its
/// description, so a recommendation whose change differs from the one approved is not applied. On approval the
/// change is planned again on the routes as they are then, the approval is consumed atomically (of any number of
/// approvals and retries exactly one gets it), then the route is changed, and <c>route.update</c> and
/// <c>recommendation.apply</c> are appended to the change history with the approver as the actor. The locked toggle
/// <c>recommendations-require-approval</c> states this rule; there is no path that applies without an approval.
/// A model change whose candidate feedback now holds back (<see cref="QualityGate"/>, on the savings calculator's
/// window) is refused when asked for and again when approved.
/// Thread-safe.
/// </para>
/// </remarks>
public sealed class RecommendationApplier : IApprovedRequestHandler, IDisposable
{
    /// <summary>The evidence field where Helix states that a model change's candidate is held back for its feedback (<see cref="Savings.QualityGate"/>); such a change is never applied.</summary>
    public const string QualityBlockedField = "qualityBlocked";

    private readonly IRecommendationStore _recommendations;
    private readonly IApprovalStore _approvals;
    private readonly IApprovalAnnouncer _announcer;
    private readonly RouteTable _routes;
    private readonly IChangeHistory _history;
    private readonly SavingsCalculator _calculator;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the applier.</summary>
    public RecommendationApplier(
        IRecommendationStore recommendations, IApprovalStore approvals, IApprovalAnnouncer announcer, RouteTable routes,
        IChangeHistory history, SavingsCalculator calculator, IOptions<ApprovalOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(recommendations);
        ArgumentNullException.ThrowIfNull(approvals);
        ArgumentNullException.ThrowIfNull(announcer);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _recommendations = recommendations;
        _approvals = approvals;
        _announcer = announcer;
        _routes = routes;
        _history = history;
        _calculator = calculator;
        _ttl = options.Value.Ttl;
        _time = time;
    }

    /// <inheritdoc/>
    public ApprovalPolicyKind Policy => ApprovalPolicyKind.Recommendation;

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Asks for the approval that will apply recommendation <paramref name="id"/>; changes nothing. A pending approval
    /// asked earlier is answered again; an approved one that could not be applied then is applied now.
    /// </summary>
    /// <returns>
    /// The recommendation and its approval (pending, or consumed when this call applied it), or the error: 403 for an
    /// agent or a viewer, 404 unknown, 409 not open or not applicable (nothing changed then).
    /// </returns>
    public async Task<Result<(Recommendation Recommendation, ApprovalRequest Approval)>> RequestAsync(long id, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (by.Role == PrincipalRole.Agent)
        {
            return GatewayError.Forbidden("An agent may propose a recommendation but never apply one: a human operator or admin asks, another approves.");
        }

        if (!ApprovalService.MayDecide(by))
        {
            return GatewayError.Forbidden($"Only a human operator or admin applies a recommendation; '{by.Name}' is a {by.Role.ToString().ToLowerInvariant()}.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var recommendation = await _recommendations.GetAsync(id, cancellationToken);
            if (recommendation is null)
            {
                return new GatewayError("not_found", $"No recommendation {id}.", 404, "invalid_request_error");
            }

            if (recommendation.Status != RecommendationStatus.Open)
            {
                return GatewayError.Conflict($"Recommendation {id} is {recommendation.Status.ToString().ToLowerInvariant()}; only an open one can be applied.");
            }

            var plan = Plan(recommendation, _routes.Current);
            if (!plan.IsSuccess)
            {
                return plan.Error;
            }

            if (await QualityRefusalAsync(recommendation, cancellationToken) is { } refused)
            {
                return refused;
            }

            var now = _time.GetUtcNow();
            var hash = ChangeHash(recommendation);
            if (recommendation.ApprovalId is { } earlier && await _approvals.GetAsync(earlier, cancellationToken) is { } asked && asked.RequestHash == hash)
            {
                switch (asked.StatusAt(now))
                {
                    case ApprovalStatus.Pending:
                        return (recommendation, asked);
                    case ApprovalStatus.Approved:
                        var applied = await ApplyAsync(recommendation, asked, asked.DecidedBy!, asked.DecidedByName ?? asked.DecidedBy!, cancellationToken);
                        return applied.IsSuccess ? (applied.Value, await _approvals.GetAsync(earlier, cancellationToken) ?? asked) : applied.Error;
                }
            }

            var request = new ApprovalRequest
            {
                Id = "apr_" + Guid.CreateVersion7(now).ToString("N"),
                Operation = recommendation.Operation,
                PrincipalId = by.Id,
                PrincipalName = by.Name,
                RequestHash = hash,
                Model = recommendation.Model ?? (_routes.Current.TryGetRoute(recommendation.Operation, out var route) ? route.Route.PrimaryModel : recommendation.Operation),
                Policy = ApprovalPolicyKind.Recommendation,
                Why = $"apply recommendation {id}: {Describe(recommendation)}",
                CreatedAt = now,
                ExpiresAt = now + _ttl,
            };
            await _approvals.CreateAsync(request, cancellationToken);
            if (!await _recommendations.SetApprovalAsync(id, request.Id, now, cancellationToken))
            {
                return GatewayError.Conflict($"Recommendation {id} changed while its approval was asked for; ask again.");
            }

            var after = await _recommendations.GetAsync(id, cancellationToken) ?? recommendation;
            await _history.AppendAsync(new ChangeRecord(by.Id, by.Name, "recommendation.apply_request", "recommendation:" + id, RecommendationJson.Write(recommendation), RecommendationJson.Write(after)), cancellationToken);
            _announcer.Announce(request);
            return (after, request);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task OnApprovedAsync(ApprovalRequest approved, Principal decider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approved);
        ArgumentNullException.ThrowIfNull(decider);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var recommendation = await _recommendations.FindByApprovalAsync(approved.Id, cancellationToken);
            if (recommendation is not null)
            {
                // Refused here (dismissed meanwhile, the route changed under it): the approval stays approved and
                // unused; asking to apply again says why, or applies it once the reason is gone.
                await ApplyAsync(recommendation, approved, decider.Id, decider.Name, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The route change a recommendation stands for on <paramref name="snapshot"/>, or why it cannot be applied (409).</summary>
    public static Result<RouteChange> Plan(Recommendation recommendation, RoutingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!snapshot.TryGetRoute(recommendation.Operation, out var decision))
        {
            return NotApplicable($"operation '{recommendation.Operation}' has no route any more");
        }

        var route = decision.Route;
        switch (recommendation.Kind)
        {
            case RecommendationKinds.ModelChange:
                if (recommendation.Model is null || snapshot.FindModel(recommendation.Model) is not { } model)
                {
                    return NotApplicable("a model change names a model of the catalog");
                }

                if (string.Equals(model.Id, route.PrimaryModel, StringComparison.OrdinalIgnoreCase))
                {
                    return NotApplicable($"'{model.Id}' is already the primary of '{route.Operation}'");
                }

                if (QualityBlocked(recommendation) is { } why)
                {
                    return NotApplicable($"'{model.Id}' is held back for its quality: {why}");
                }

                return new RouteChange(model.Id, [route.PrimaryModel, .. route.FallbackModels.Where(f => !string.Equals(f, model.Id, StringComparison.OrdinalIgnoreCase))]);

            case RecommendationKinds.Retire:
                if (recommendation.Model is null)
                {
                    return NotApplicable("retiring names the model to take out of the route");
                }

                if (string.Equals(recommendation.Model, route.PrimaryModel, StringComparison.OrdinalIgnoreCase))
                {
                    return route.FallbackModels.Count == 0
                        ? NotApplicable($"'{recommendation.Model}' is the only model of '{route.Operation}'; give the route another model first")
                        : new RouteChange(route.FallbackModels[0], [.. route.FallbackModels.Skip(1)]);
                }

                return route.FallbackModels.Contains(recommendation.Model, StringComparer.OrdinalIgnoreCase)
                    ? new RouteChange(FallbackModels: [.. route.FallbackModels.Where(f => !string.Equals(f, recommendation.Model, StringComparison.OrdinalIgnoreCase))])
                    : NotApplicable($"'{recommendation.Model}' is no longer in the route of '{route.Operation}'");

            case RecommendationKinds.Cap:
                var cap = CapOf(recommendation);
                if (cap is null)
                {
                    return NotApplicable($"a cap recommendation's evidence names maxOutputTokens, a whole number from 1 to {RouteTable.MaxOutputTokensLimit}");
                }

                return route.MaxOutputTokens == cap
                    ? NotApplicable($"the route of '{route.Operation}' is capped at {cap} already")
                    : new RouteChange(MaxOutputTokens: cap);

            default:
                return NotApplicable($"a '{recommendation.Kind}' recommendation changes how callers send their calls, which no route setting holds; act on its evidence in the callers, then dismiss it");
        }
    }

    /// <summary>Why a model change's candidate is held back for its feedback (the evidence's <see cref="QualityBlockedField"/>), if it is.</summary>
    public static string? QualityBlocked(Recommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        using var evidence = JsonDocument.Parse(recommendation.Evidence);
        return evidence.RootElement.TryGetProperty(QualityBlockedField, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>The output cap a <c>cap</c> recommendation's evidence names (<c>maxOutputTokens</c>), if valid.</summary>
    public static int? CapOf(Recommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        using var evidence = JsonDocument.Parse(recommendation.Evidence);
        return evidence.RootElement.TryGetProperty("maxOutputTokens", out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var cap) && cap is >= 1 and <= RouteTable.MaxOutputTokensLimit
            ? cap
            : null;
    }

    // The change the approval binds to: a recommendation whose change differs is not applied by it.
    private static string ChangeHash(Recommendation r)
    {
        var text = string.Join('\n', "recommendation", r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Operation, r.Model ?? "", r.ServiceTier ?? "",
            r.Kind == RecommendationKinds.Cap ? CapOf(r)?.ToString(CultureInfo.InvariantCulture) ?? "" : "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Describe(Recommendation r) => r.Kind switch
    {
        RecommendationKinds.ModelChange => $"serve '{r.Operation}' with '{r.Model}'",
        RecommendationKinds.Retire => $"take '{r.Model}' out of the route of '{r.Operation}'",
        RecommendationKinds.Cap => $"cap the output of '{r.Operation}' at {CapOf(r)} tokens",
        _ => $"{r.Kind} for '{r.Operation}'",
    };

    // Feedback may have arrived since the recommendation was made: a model change is judged again, on the calculator's
    // window as it is now, when it is asked for and when it is approved.
    private async Task<GatewayError?> QualityRefusalAsync(Recommendation recommendation, CancellationToken cancellationToken)
    {
        if (recommendation.Kind != RecommendationKinds.ModelChange || recommendation.Model is not { } model)
        {
            return null;
        }

        var report = await _calculator.CalculateAsync(new SavingsPlan([new PlannedChange(recommendation.Operation, model)]), cancellationToken);
        return report.IsSuccess && report.Value.Operations is [var operation] && QualityGate.WhyBlocked(operation.CurrentModels, operation.Candidate) is { } why
            ? NotApplicable($"'{model}' is held back for its quality: {why}")
            : null;
    }

    private static GatewayError NotApplicable(string why) =>
        new("not_applicable", $"The recommendation cannot be applied: {why}.", 409, "invalid_request_error");

    // Under the gate. Plans on the routes as they are, consumes the approval (exactly one caller gets it), changes the route.
    private async Task<Result<Recommendation>> ApplyAsync(Recommendation recommendation, ApprovalRequest approved, string deciderId, string deciderName, CancellationToken cancellationToken)
    {
        if (recommendation.Status != RecommendationStatus.Open || approved.RequestHash != ChangeHash(recommendation))
        {
            return GatewayError.Conflict($"Recommendation {recommendation.Id} is not the open change approval {approved.Id} was asked for.");
        }

        var plan = Plan(recommendation, _routes.Current);
        if (!plan.IsSuccess)
        {
            return plan.Error;
        }

        if (await QualityRefusalAsync(recommendation, cancellationToken) is { } refused)
        {
            return refused;
        }

        var before = _routes.Current.TryGetRoute(recommendation.Operation, out var decision) ? decision.Route : null;
        var now = _time.GetUtcNow();
        if (!await _approvals.TryConsumeAsync(approved.Id, now, cancellationToken))
        {
            return GatewayError.Conflict($"Approval {approved.Id} is no longer approved and unused.");
        }

        // From here the approval is spent: the change and its records must not be dropped because a caller left.
        var changed = await _routes.UpdateAsync(recommendation.Operation, plan.Value, deciderId, CancellationToken.None);
        if (!changed.IsSuccess)
        {
            return changed.Error;
        }

        await _recommendations.MarkAppliedAsync(recommendation.Id, approved.Id, deciderId, now, CancellationToken.None);
        var after = await _recommendations.GetAsync(recommendation.Id, CancellationToken.None) ?? recommendation;
        await _history.AppendAsync(new ChangeRecord(deciderId, deciderName, "route.update", changed.Value.Operation, RouteJson(before), RouteJson(changed.Value)), CancellationToken.None);
        await _history.AppendAsync(new ChangeRecord(deciderId, deciderName, "recommendation.apply", "recommendation:" + recommendation.Id, RecommendationJson.Write(recommendation), RecommendationJson.Write(after)), CancellationToken.None);
        return after;
    }

    private static string? RouteJson(RouteConfig? route) => route is null ? null : new JsonObject
    {
        ["operation"] = route.Operation,
        ["primaryModel"] = route.PrimaryModel,
        ["fallbackModels"] = new JsonArray([.. route.FallbackModels.Select(f => (JsonNode?)JsonValue.Create(f))]),
        ["maxOutputTokens"] = route.MaxOutputTokens,
        ["version"] = route.Version,
        ["updatedBy"] = route.UpdatedBy,
    }.ToJsonString();
}
