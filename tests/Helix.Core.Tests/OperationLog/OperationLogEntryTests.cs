using Helix.Testing;
using Xunit;

namespace Helix.Core.Tests.OperationLog;

public sealed class OperationLogEntryTests
{
    [Fact]
    public void EffectiveCostUsd_Repriced_IsTheRepricedCost()
    {
        var row = TestEntries.Success("req-1", costUsd: 0.002m) with { RepricedCostUsd = 0.0015m };

        Assert.Equal(0.0015m, row.EffectiveCostUsd);
        Assert.Equal(0.002m, row.CostUsd);
    }

    [Fact]
    public void EffectiveCostUsd_NotRepriced_IsTheOriginalCost()
    {
        Assert.Equal(0.002m, TestEntries.Success("req-1", costUsd: 0.002m).EffectiveCostUsd);
        Assert.Null((TestEntries.Success("req-1") with { CostUsd = null }).EffectiveCostUsd);
    }
}
