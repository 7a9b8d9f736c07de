using Helix.Core.Approvals;
using Helix.Core.Pipeline;
using Helix.Core.Principals;
using Helix.Core.Tests.Pipeline;
using Helix.Testing;

namespace Helix.Core.Tests.Approvals;

/// <summary>The approval gate in the real chain of steps, over fake providers, the in-memory log and approval store.</summary>
internal sealed class ApprovalHarness : IAsyncDisposable
{
    public static readonly Principal Requester = Principal.Application("app:billing");
    public static readonly Principal Operator = new("key_op", "Olga (operator)", PrincipalRole.Operator);
    public static readonly Principal Admin = new("key_admin", "Ada (admin)", PrincipalRole.Admin);
    public static readonly Principal Viewer = new("key_viewer", "Vic (viewer)", PrincipalRole.Viewer);
    public static readonly Principal Agent = new("key_agent", "planner agent", PrincipalRole.Agent);

    private ApprovalHarness(PipelineHarness inner, ApprovalOptions options)
    {
        Inner = inner;
        Policies = new ApprovalPolicyTable(Store);
        Waiters = new ApprovalWaiters(options, inner.Time);
        Announcer = new RecordingAnnouncer();
        Gate = new ApprovalGate(Store, Policies, Waiters, Announcer, inner.Costs, options, inner.Time);
        Service = new ApprovalService(Store, Policies, Waiters, inner.Time);
        var services = new PipelineServices(inner.Routes, inner.Providers, inner.Costs, inner.Log, inner.Circuits, inner.Resilience, inner.Alerts, inner.Time);
        Pipeline = new OperationPipeline(services, b => OperationPipeline.UseDefaultSteps(b, approvals: Gate));
    }

    public PipelineHarness Inner { get; }

    public InMemoryApprovalStore Store { get; } = new();

    public ApprovalPolicyTable Policies { get; }

    public ApprovalWaiters Waiters { get; }

    public RecordingAnnouncer Announcer { get; }

    public ApprovalGate Gate { get; }

    public ApprovalService Service { get; }

    public OperationPipeline Pipeline { get; }

    public static async Task<ApprovalHarness> CreateAsync(ApprovalPolicyKind policy = ApprovalPolicyKind.Always, decimal? threshold = null, IReadOnlyList<string>? approvedModels = null)
    {
        var inner = await PipelineHarness.CreateAsync();
        var harness = new ApprovalHarness(inner, new ApprovalOptions());
        await harness.Policies.ReloadAsync();
        await harness.Policies.SaveAsync(new RouteApprovalPolicy
        {
            Operation = "chat",
            Policy = policy,
            ThresholdUsd = threshold,
            MoneyMoving = policy == ApprovalPolicyKind.MoneyMoving,
            ApprovedModels = approvedModels ?? [],
        });
        return harness;
    }

    public static OperationRequest Request(string hash = "hash-1", string? approvalId = null, Principal? principal = null, string operation = "chat", TimeSpan wait = default) => new()
    {
        Operation = operation,
        RequestId = "req-" + Guid.NewGuid().ToString("N"),
        Principal = principal ?? Requester,
        RequestHash = hash,
        ApprovalId = approvalId,
        ApprovalWait = wait,
    };

    public Task<Result<ChatOutcome>> CallAsync(OperationRequest request, CancellationToken cancellationToken) =>
        Pipeline.CompleteChatAsync(request, PipelineHarness.Body(), cancellationToken);

    /// <summary>Asks once (403 approval_required) and returns the request's id.</summary>
    public async Task<string> AskAsync(CancellationToken cancellationToken, string hash = "hash-1")
    {
        var result = await CallAsync(Request(hash), cancellationToken);
        if (result.IsSuccess || result.Error.Approval is null)
        {
            throw new InvalidOperationException($"Expected approval_required, got {(result.IsSuccess ? "success" : result.Error.Code)}.");
        }

        return result.Error.Approval.Id;
    }

    public ValueTask DisposeAsync()
    {
        Policies.Dispose();
        return Inner.DisposeAsync();
    }

    public sealed class RecordingAnnouncer : IApprovalAnnouncer
    {
        private readonly List<ApprovalRequest> _announced = [];

        public IReadOnlyList<ApprovalRequest> Announced
        {
            get
            {
                lock (_announced)
                {
                    return [.. _announced];
                }
            }
        }

        public void Announce(ApprovalRequest request)
        {
            lock (_announced)
            {
                _announced.Add(request);
            }
        }
    }
}
