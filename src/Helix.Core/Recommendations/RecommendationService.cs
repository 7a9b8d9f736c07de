using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Pipeline;
using Helix.Core.Principals;
using Helix.Core.Routing;
using Helix.Core.Savings;

namespace Helix.Core.Recommendations;

/// <summary>Lists, refreshes, takes proposals of and dismisses recommendations; proposals and dismissals go to the change history.</summary>
/// <remarks>
/// Thread-safe. A refresh (<see cref="RefreshAsync"/>, on a timer and on demand) recomputes Helix's own
/// recommendations with <see cref="RecommendationEngine"/>. A proposal of a model change is priced by the
/// <see cref="SavingsCalculator"/> like Helix's own. Nothing here changes a route: applying goes through approvals.
/// </remarks>
public sealed class RecommendationService : IDisposable
{
    /// <summary>The source and proposer of recommendations Helix computes.</summary>
    public const string HelixSource = "helix";

    /// <summary>The source of recommendations a principal proposed.</summary>
    public const string ProposalSource = "proposal";

    /// <summary>The longest evidence a proposal may carry, in characters of JSON.</summary>
    public const int MaxEvidenceLength = 16_384;

    private readonly IRecommendationStore _store;
    private readonly RecommendationEngine _engine;
    private readonly SavingsCalculator _calculator;
    private readonly RouteTable _routes;
    private readonly IChangeHistory _history;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);

    /// <summary>Creates the service.</summary>
    public RecommendationService(IRecommendationStore store, RecommendationEngine engine, SavingsCalculator calculator, RouteTable routes, IChangeHistory history, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _engine = engine;
        _calculator = calculator;
        _routes = routes;
        _history = history;
        _time = time;
    }

    /// <inheritdoc/>
    public void Dispose() => _refreshLock.Dispose();

    /// <summary>When the last refresh ended, if one did.</summary>
    public DateTimeOffset? RefreshedAt { get; private set; }

    /// <summary>Every recommendation, newest first.</summary>
    public Task<IReadOnlyList<Recommendation>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>Recomputes Helix's own recommendations from the log and the price book.</summary>
    public async Task<IReadOnlyList<Recommendation>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            var computed = await _engine.ComputeAsync(SavingsPlan.DefaultDays, cancellationToken);
            await _store.ReplaceComputedAsync(computed, cancellationToken);
            RefreshedAt = _time.GetUtcNow();
            return await _store.ListAsync(cancellationToken);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>Stores a principal's proposal; a model change naming a model is priced by the savings calculator.</summary>
    /// <param name="kind">One of <see cref="RecommendationKinds.All"/>.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="model">The model proposed, if any.</param>
    /// <param name="evidence">A JSON object, as text.</param>
    /// <param name="by">Who proposes.</param>
    /// <param name="cancellationToken">Cancels the proposal.</param>
    /// <returns>The stored recommendation, or the error (400) naming what is wrong.</returns>
    public async Task<Result<Recommendation>> ProposeAsync(string kind, string operation, string? model, string evidence, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (!RecommendationKinds.IsKnown(kind))
        {
            return GatewayError.InvalidRequest($"kind is one of {string.Join(", ", RecommendationKinds.All)}.", "invalid_kind");
        }

        var snapshot = _routes.Current;
        if (string.IsNullOrWhiteSpace(operation) || !snapshot.TryGetRoute(operation, out var decision))
        {
            return GatewayError.InvalidRequest($"Unknown operation '{operation}'.", "unknown_operation");
        }

        if (kind == RecommendationKinds.ModelChange && model is null)
        {
            return GatewayError.InvalidRequest("A model_change names the model to change to.", "missing_model");
        }

        ModelConfig? found = null;
        if (model is not null && (found = snapshot.FindModel(model)) is null)
        {
            return GatewayError.InvalidRequest($"Unknown model '{model}'.", "unknown_model");
        }

        if (string.IsNullOrEmpty(evidence) || evidence.Length > MaxEvidenceLength || !IsJsonObject(evidence))
        {
            return GatewayError.InvalidRequest($"evidence is a JSON object of at most {MaxEvidenceLength} characters.", "invalid_evidence");
        }

        decimal? monthly = null;
        if (kind == RecommendationKinds.ModelChange && found is not null)
        {
            var report = await _calculator.CalculateAsync(new SavingsPlan([new PlannedChange(decision.Route.Operation, found.Id)]), cancellationToken);
            if (!report.IsSuccess)
            {
                return report.Error;
            }

            monthly = report.Value.ProjectedMonthlySavingsUsd;
            var proposed = report.Value.Operations[0];
            evidence = WithQualityVerdict(evidence, QualityGate.WhyBlocked(proposed.CurrentModels, proposed.Candidate));
        }

        var now = _time.GetUtcNow();
        var stored = await _store.InsertAsync(new Recommendation
        {
            Kind = kind,
            Operation = decision.Route.Operation,
            Model = found?.Id,
            Evidence = evidence,
            ProjectedMonthlySavingsUsd = monthly,
            Source = ProposalSource,
            ProposedBy = by.Id,
            CreatedAt = now,
            UpdatedAt = now,
        }, cancellationToken);
        await _history.AppendAsync(new ChangeRecord(by.Id, by.Name, "recommendation.propose", "recommendation:" + stored.Id, null, RecommendationJson.Write(stored)), cancellationToken);
        return stored;
    }

    /// <summary>Dismisses an open recommendation with a reason.</summary>
    /// <returns>The dismissed recommendation, or the error (400 no reason, 404 unknown, 409 not open).</returns>
    public async Task<Result<Recommendation>> DismissAsync(long id, string reason, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000)
        {
            return GatewayError.InvalidRequest("reason is required: say why the recommendation is dismissed (1 to 1000 characters).", "reason_required");
        }

        var before = await _store.GetAsync(id, cancellationToken);
        if (before is null)
        {
            return new GatewayError("not_found", $"No recommendation {id}.", 404, "invalid_request_error");
        }

        if (before.Status != RecommendationStatus.Open || !await _store.DismissAsync(id, by.Id, reason, _time.GetUtcNow(), cancellationToken))
        {
            return GatewayError.Conflict($"Recommendation {id} is not open.");
        }

        var after = await _store.GetAsync(id, cancellationToken) ?? before;
        await _history.AppendAsync(new ChangeRecord(by.Id, by.Name, "recommendation.dismiss", "recommendation:" + id, RecommendationJson.Write(before), RecommendationJson.Write(after)), cancellationToken);
        return after;
    }

    // Helix's verdict, never the proposer's: a model change whose candidate feedback forbids is stored as held back,
    // and the applier refuses it.
    private static string WithQualityVerdict(string evidence, string? blocked)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(evidence)!.AsObject();
        json.Remove(RecommendationApplier.QualityBlockedField);
        if (blocked is not null)
        {
            json[RecommendationApplier.QualityBlockedField] = blocked;
        }

        return json.ToJsonString();
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
