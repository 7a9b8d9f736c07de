using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Xunit;

namespace Helix.Core.Tests.OperationLog;

/// <summary>The row recovery writes for an attempt the process left open.</summary>
public sealed class OpenAttemptTests
{
    private static OpenAttempt Open() => new()
    {
        RequestId = "req-1",
        Attempt = 2,
        Timestamp = new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero),
        Operation = "chat",
        Principal = "key_app",
        User = "u-1",
        Provider = "gemini",
        Model = "gemini/gemini-2.5-flash",
        Streamed = true,
        EstimatedCostUsd = 0.0042m,
    };

    [Fact]
    public void ToInterruptedEntry_AttemptUnderAnExperiment_CarriesItsExperimentAndArm()
    {
        var row = (Open() with { ExperimentId = "exp_7", ExperimentArm = "candidate-1" }).ToInterruptedEntry();

        Assert.Equal(("exp_7", "candidate-1"), (row.ExperimentId, row.ExperimentArm));
        Assert.Equal((AttemptStatus.Interrupted, OpenAttempt.InterruptedCode), (row.Status, row.ErrorCode));
        Assert.Equal((CostStatus.Estimated, 0.0042m), (row.CostStatus, row.CostUsd));
    }

    [Fact]
    public void ToInterruptedEntry_NoExperiment_LeavesBothEmpty()
    {
        var row = Open().ToInterruptedEntry();

        Assert.Equal((null, null), (row.ExperimentId, row.ExperimentArm));
    }
}
