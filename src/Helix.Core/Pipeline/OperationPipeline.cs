using System.Text.Json.Nodes;
using Helix.Core.Alerts;
using Helix.Core.Approvals;
using Helix.Core.Budgets;
using Helix.Core.Calls.Chat;
using Helix.Core.Calls.Embeddings;
using Helix.Core.Calls.Speech;
using Helix.Core.Calls.Transcription;
using Helix.Core.Experiments;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Core.Telemetry;
using Helix.Core.Toggles;
using Microsoft.Extensions.Logging;

namespace Helix.Core.Pipeline;

/// <summary>The entries into the control plane: one per modality, all running the same chain of steps.</summary>
/// <remarks>
/// <para>
/// Each entry wraps its payload in an <see cref="IProviderCall"/> (the only modality-aware part), runs the chain
/// built by <see cref="UseDefaultSteps"/> (or the one given), and maps the served attempt to an outcome. The default
/// chain, outermost first: telemetry → kill switches (operation, global) → routing → experiments (an arm's model first) → approval gate (when registered) →
/// refused-call log → failover (per model:) → model kill switches (provider, model) → unknown-price policy → retry (per attempt:) → circuit breaker →
/// budget reservation (when budgets are on) → operation log (journal before the call, row when the attempt ends) → metering (price, alerts) → attempt timeout
/// → the provider call.
/// </para>
/// <para>
/// Durability: an attempt's open record is durable before its provider is called; the answer returns only once
/// the attempt's row is durable; a stream's final usage chunk is yielded only once its row is durable. Expected
/// failures are <see cref="GatewayError"/> values. Thread-safe; one instance serves every call.
/// </para>
/// </remarks>
public sealed partial class OperationPipeline
{
    private readonly PipelineServices _services;
    private readonly OperationDelegate _run;

    /// <summary>Creates the pipeline with the default steps.</summary>
    public OperationPipeline(
        RouteTable routes,
        ProviderRegistry providers,
        CostEngine costs,
        OperationLogWriter log,
        CircuitBreakerRegistry circuits,
        ResilienceOptions resilience,
        IAlertSink alerts,
        TimeProvider time,
        ILogger<OperationPipeline> logger)
        : this(new PipelineServices(routes, providers, costs, log, circuits, resilience, alerts, time, logger))
    {
    }

    /// <summary>Creates the pipeline from <paramref name="services"/>, with the steps <paramref name="configure"/> adds.</summary>
    /// <param name="services">The parts the steps are made from.</param>
    /// <param name="configure">Adds the steps; <see langword="null"/> for <see cref="UseDefaultSteps"/>.</param>
    public OperationPipeline(PipelineServices services, Action<OperationPipelineBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        var builder = new OperationPipelineBuilder(services);
        (configure ?? (static b => UseDefaultSteps(b)))(builder);
        _run = builder.Build();
    }

    /// <summary>Adds the default steps, in order, with each attempt's budget reservation when <paramref name="budgets"/> is set.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="budgets">Reserves each attempt's worst case before its journal record, or <see langword="null"/> for no budgets.</param>
    /// <param name="approvals">Holds calls a human must approve, right after routing, or <see langword="null"/> for no approval gate.</param>
    public static OperationPipelineBuilder UseDefaultSteps(OperationPipelineBuilder builder, BudgetReservation? budgets = null, ApprovalGate? approvals = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseTelemetry()
            .UseToggles()
            .UseRouting()
            .UseExperiments()
            .UseApprovalGate(approvals)
            .UseRefusedCallLog()
            .UseFailover()
            .UseModelKillSwitches()
            .UseUnknownPricePolicy()
            .UseRetry()
            .UseCircuitBreaker()
            .UseBudgetReservation(budgets)
            .UseOperationLog()
            .UseMetering()
            .UseAttemptTimeout();
    }

    /// <summary>Runs any <see cref="IProviderCall"/> through the chain.</summary>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The context, whose <see cref="OperationContext.Served"/> attempt holds the answer, or the error.</returns>
    public async Task<Result<OperationContext>> RunAsync(OperationRequest request, IProviderCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        var context = new OperationContext
        {
            RequestId = request.RequestId,
            Operation = request.Operation,
            Principal = request.Principal,
            User = request.User,
            RequestHash = request.RequestHash,
            ApprovalId = request.ApprovalId,
            ApprovalWait = request.ApprovalWait,
            Call = call,
            CallerToken = cancellationToken,
            CancellationToken = cancellationToken,
            StartedTimestamp = _services.Time.GetTimestamp(),
        };
        GatewayError? error;
        try
        {
            error = await _run(context);
        }
        catch (Exception ex)
        {
            context.Exception = ex;
            await context.EndCallAsync();
            throw;
        }

        if (ReferenceEquals(error, OperationContext.NextModel))
        {
            error = GatewayError.UpstreamUnavailable($"No model of operation '{context.Operation}' could serve the call.");
        }

        context.Error = error;
        if (error is not null || context.Served is not { HasEnded: false })
        {
            await context.EndCallAsync();
        }

        if (error is not null)
        {
            return error;
        }

        if (context.Served is null)
        {
            throw new InvalidOperationException("The pipeline reported the call served, but no attempt answered it.");
        }

        return context;
    }

    /// <summary>Makes a non-streaming chat call.</summary>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="body">The OpenAI-shaped request; the caller keeps (and disposes) it, after the call (for a stream, after the stream).</param>
    /// <param name="cancellationToken">The caller's token; a cancelled call is logged as cancelled.</param>
    public async Task<Result<ChatOutcome>> CompleteChatAsync(OperationRequest request, ChatRequest body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var call = new ChatCompletionCall(body);
        var result = await RunAsync(request, call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        var context = result.Value;
        var served = context.Served!;
        return new ChatOutcome(context.RequestId, context.Operation, served.Target, call.Completion!, served.Cost, served.Number);
    }

    /// <summary>Opens a streaming chat call; fallback happens only before the first chunk.</summary>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="body">The OpenAI-shaped request; the caller keeps (and disposes) it, after the call (for a stream, after the stream).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<Result<ChatStreamOutcome>> StreamChatAsync(OperationRequest request, ChatRequest body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var call = new ChatStreamCall(body);
        var result = await RunAsync(request, call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        var context = result.Value;
        return new ChatStreamOutcome(context, context.Served!, call.Stream!, _services.Time);
    }

    /// <summary>Makes an embeddings call.</summary>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="body">The OpenAI <c>/v1/embeddings</c> request; not mutated.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<Result<EmbeddingsOutcome>> EmbedAsync(OperationRequest request, JsonObject body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var call = new EmbeddingsProviderCall(body);
        var result = await RunAsync(request, call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        var context = result.Value;
        var served = context.Served!;
        return new EmbeddingsOutcome(context.RequestId, context.Operation, served.Target, call.Response!, served.Cost, served.Number);
    }

    /// <summary>Transcribes audio.</summary>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="input">The audio and options; the duration, when the edge read it from the header, makes the worst case exact.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<Result<TranscriptionOutcome>> TranscribeAsync(OperationRequest request, TranscriptionInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(input);
        var call = new TranscriptionProviderCall(input);
        var result = await RunAsync(request, call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        var context = result.Value;
        var served = context.Served!;
        return new TranscriptionOutcome(context.RequestId, context.Operation, served.Target, call.Transcript!, served.Cost, served.Number);
    }

    /// <summary>Starts speech; the outcome streams the provider's audio and settles when it ends.</summary>
    /// <remarks>Fallback happens only before the first audio bytes.</remarks>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="input">The text and options.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<Result<SpeechOutcome>> SpeakAsync(OperationRequest request, SpeechInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(input);
        var call = new SpeechProviderCall(input);
        var result = await RunAsync(request, call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        var context = result.Value;
        return new SpeechOutcome(context, context.Served!, call.Stream!, _services.Time);
    }
}
