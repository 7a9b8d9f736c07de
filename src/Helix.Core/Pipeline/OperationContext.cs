using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.Pricing;
using Helix.Core.Principals;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>One call as it flows through the steps: who asks for what, the route, the estimate, the attempts.</summary>
/// <remarks>
/// Holds no payload type: <see cref="Call"/> is the only modality-aware member. Steps read and set it in turn; it is
/// not thread-safe and lives for one call (a stream's outcome keeps it until the stream ends).
/// </remarks>
public sealed class OperationContext
{
    private List<Attempt>? _attempts;
    private List<ModelSkip>? _skipped;
    private Dictionary<object, object?>? _items;
    private int _attemptNumbers;
    private List<Func<OperationContext, ValueTask>>? _onCallEnded;
    private int _callEnded;

    /// <summary>The result a per-model or per-attempt step returns to send the call to the next model.</summary>
    /// <remarks>Never reaches a caller: failover turns it into the call's error when no model is left.</remarks>
    public static GatewayError NextModel { get; } =
        new("upstream_unavailable", "The model could not serve the call; the next model of the route is tried.", 502, "server_error");

    /// <summary>Helix's id of the call.</summary>
    public required string RequestId { get; init; }

    /// <summary>The operation: as the caller named it until routing, then the route's canonical name.</summary>
    public required string Operation { get; set; }

    /// <summary>Who calls.</summary>
    public required Principal Principal { get; init; }

    /// <summary>The end user the caller named.</summary>
    public string? User { get; init; }

    /// <summary>The lowercase hex SHA-256 of the raw request body, or <see langword="null"/>; an approval is bound to it.</summary>
    public string? RequestHash { get; init; }

    /// <summary>The approval the caller presents, or <see langword="null"/>.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>How long the caller lets the approval gate hold the call for a decision; zero answers at once.</summary>
    public TimeSpan ApprovalWait { get; init; }

    /// <summary>The modality's part of the call.</summary>
    public required IProviderCall Call { get; init; }

    /// <summary>The caller's token: when it fires, the caller went away.</summary>
    public CancellationToken CallerToken { get; init; }

    /// <summary>The call's token: the caller's, narrowed by the overall deadline once failover starts.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The overall deadline's own token (not the caller's), set by failover.</summary>
    public CancellationToken DeadlineToken { get; set; }

    /// <summary>What to say when <see cref="DeadlineToken"/> fired.</summary>
    public string? DeadlineReason { get; set; }

    /// <summary>The route, set by routing once per call.</summary>
    public RouteDecision? Route { get; set; }

    /// <summary>The model being tried, set by failover per model.</summary>
    public ModelConfig? Target { get; set; }

    /// <summary>The target's price in force, or <see langword="null"/>; set with <see cref="Target"/>.</summary>
    public PriceEntry? Price { get; set; }

    /// <summary>The request's worst case on the target, as meters; set with <see cref="Target"/>.</summary>
    public UsageMeters Estimate { get; set; }

    /// <summary>The worst case's cost on the target, or <see langword="null"/> when it has no price.</summary>
    public decimal? WorstCaseCostUsd { get; set; }

    /// <summary>The attempt in progress, set by retry per attempt.</summary>
    public Attempt? Attempt { get; set; }

    /// <summary>The attempt whose answer the caller gets, once served.</summary>
    public Attempt? Served { get; set; }

    /// <summary>The last provider error of the call.</summary>
    public ProviderError? LastError { get; set; }

    /// <summary>Every attempt that reached the provider call, in order.</summary>
    public IReadOnlyList<Attempt> Attempts => (IReadOnlyList<Attempt>?)_attempts ?? [];

    /// <summary>Models of the route skipped without an attempt, and why.</summary>
    public IReadOnlyList<ModelSkip> Skipped => (IReadOnlyList<ModelSkip>?)_skipped ?? [];

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> when the call entered the pipeline.</summary>
    public long StartedTimestamp { get; init; }

    /// <summary>Per-call state of steps, keyed by something private to the step.</summary>
    public IDictionary<object, object?> Items => _items ??= [];

    /// <summary>The error the call ended with, once it ended with one.</summary>
    public GatewayError? Error { get; internal set; }

    /// <summary>The exception the call ended with (a cancellation, an adapter's bug), once it ended with one.</summary>
    public Exception? Exception { get; internal set; }

    /// <summary>Registers a callback run once when the whole call ended: its answer complete (a stream's too), or its error.</summary>
    /// <remarks>Callbacks run in registration order, after the served attempt's own end callbacks (its cost and row are final).</remarks>
    public void OnCallEnded(Func<OperationContext, ValueTask> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        (_onCallEnded ??= new(1)).Add(callback);
    }

    /// <summary>Records why a model is skipped and returns <see cref="NextModel"/>.</summary>
    /// <param name="modelId">The model skipped.</param>
    /// <param name="code">A stable code for the cause.</param>
    /// <param name="reason">A sentence naming the model and the cause.</param>
    public GatewayError SkipModel(string modelId, string code, string reason)
    {
        (_skipped ??= []).Add(new ModelSkip(modelId, code, reason));
        return NextModel;
    }

    /// <summary>Starts the next attempt on <see cref="Target"/> and makes it <see cref="Attempt"/>.</summary>
    /// <exception cref="InvalidOperationException">No target is set (failover must run first).</exception>
    public Attempt BeginAttempt(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var target = Target ?? throw new InvalidOperationException("An attempt needs a target: add UseFailover before UseRetry.");
        var attempt = new Attempt(this, ++_attemptNumbers, target, time.GetUtcNow(), time.GetTimestamp());
        Attempt = attempt;
        return attempt;
    }

    /// <summary>Forgets an attempt a step refused before the provider was called, so its number is used again.</summary>
    public void DiscardAttempt(Attempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.IsStarted)
        {
            throw new InvalidOperationException($"Attempt {attempt.Number} reached its provider and cannot be discarded.");
        }

        if (attempt.Number == _attemptNumbers)
        {
            _attemptNumbers--;
        }

        if (ReferenceEquals(Attempt, attempt))
        {
            Attempt = null;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask EndCallAsync()
    {
        if (Interlocked.Exchange(ref _callEnded, 1) != 0 || _onCallEnded is null)
        {
            return;
        }

        foreach (var callback in _onCallEnded)
        {
            await callback(this);
        }
    }

    internal void MarkStarted(Attempt attempt)
    {
        attempt.IsStarted = true;
        (_attempts ??= new List<Attempt>(2)).Add(attempt);
    }
}
