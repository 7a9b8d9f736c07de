using Helix.Core.OperationLog;
using Helix.Testing;
using Xunit;

namespace Helix.Core.Tests.OperationLog;

public sealed class OperationLogChainTests
{
    private static readonly OperationLogEntry s_row = TestEntries.Success("req_1", user: "u1");

    [Fact]
    public void HashOf_SameRowSamePlace_IsTheSameLowercaseSha256()
    {
        var hash = OperationLogChain.HashOf(7, s_row, OperationLogChain.Genesis);

        Assert.Equal(hash, OperationLogChain.HashOf(7, s_row with { }, OperationLogChain.Genesis));
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void HashOf_CoversIdPreviousHashAndEveryStoredField()
    {
        var hash = OperationLogChain.HashOf(7, s_row, OperationLogChain.Genesis);
        OperationLogEntry[] edits =
        [
            s_row with { Meters = s_row.Meters with { InputTokens = 101 } },
            s_row with { Meters = s_row.Meters with { AudioSeconds = 1.5m } },
            s_row with { Model = "openai/gpt-4o" },
            s_row with { User = "u2" },
            s_row with { User = null },
            s_row with { Principal = "other" },
            s_row with { Timestamp = s_row.Timestamp.AddTicks(1) },
            s_row with { CostUsd = 0.00011m },
            s_row with { CostUsd = 0.000100m },
            s_row with { Status = AttemptStatus.Failed },
            s_row with { LatencyMs = 12.500001 },
            s_row with { ProviderRequestId = "x" },
        ];

        Assert.NotEqual(hash, OperationLogChain.HashOf(8, s_row, OperationLogChain.Genesis));
        Assert.NotEqual(hash, OperationLogChain.HashOf(7, s_row, new string('1', 64)));
        Assert.All(edits, edited => Assert.NotEqual(hash, OperationLogChain.HashOf(7, edited, OperationLogChain.Genesis)));
    }

    [Fact]
    public void HashOf_IgnoresTheReadModelsRepricedCost_AndTheEntrysOwnId()
    {
        var hash = OperationLogChain.HashOf(7, s_row, OperationLogChain.Genesis);

        Assert.Equal(hash, OperationLogChain.HashOf(7, s_row with { RepricedCostUsd = 1m, Id = 99 }, OperationLogChain.Genesis));
    }

    [Fact]
    public void Verifier_NamesTheFirstBrokenRow_AndLooksNoFurther()
    {
        var verifier = new OperationLogChainVerifier();
        var first = s_row with { Id = 1 };
        var firstHash = OperationLogChain.HashOf(1, first, OperationLogChain.Genesis);
        var second = s_row with { Id = 2, RequestId = "req_2" };
        var secondHash = OperationLogChain.HashOf(2, second, firstHash);

        Assert.True(verifier.Add(first, OperationLogChain.Genesis, firstHash));
        Assert.False(verifier.Add(second with { Meters = second.Meters with { OutputTokens = 1 } }, firstHash, secondHash));
        Assert.False(verifier.Add(s_row with { Id = 3 }, secondHash, "x"));

        Assert.Equal(2, verifier.Result.FirstBrokenId);
        Assert.Equal(2, verifier.Result.Entries);
        Assert.Contains("changed after it was written", verifier.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verifier_RowLinkedToTheWrongPredecessor_IsBroken()
    {
        var verifier = new OperationLogChainVerifier();
        var first = s_row with { Id = 1 };
        var firstHash = OperationLogChain.HashOf(1, first, OperationLogChain.Genesis);
        var second = s_row with { Id = 2 };
        var forged = new string('a', 64);

        verifier.Add(first, OperationLogChain.Genesis, firstHash);
        verifier.Add(second, forged, OperationLogChain.HashOf(2, second, forged));

        Assert.Equal(2, verifier.Result.FirstBrokenId);
        Assert.Contains("previous hash", verifier.Result.Reason, StringComparison.Ordinal);
    }
}
