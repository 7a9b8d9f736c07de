using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
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
    public void HashOf_FullyPopulatedRows_MatchTheHashesStoredChainsAlreadyCarry()
    {
        // Golden values computed by the implementation that formatted each number as a string: the text hashed must
        // not change by a byte (stored chains must keep verifying), whatever way it is composed.
        var row = new OperationLogEntry
        {
            RequestId = "req_g", Timestamp = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567),
            Operation = "chat", Principal = "key", User = "u\u00e9", Provider = "deepseek", Model = "deepseek/deepseek-chat",
            ReportedModel = "deepseek-chat-0324", Attempt = 2, Status = AttemptStatus.Failed, ErrorCode = "upstream_5xx", HttpStatus = 503,
            LatencyMs = 12.345678901234, Streamed = true, UsageKnown = true,
            Meters = new UsageMeters { InputTokens = 100, OutputTokens = 20, AudioSeconds = 1.50m, CacheStorageTokenHours = 0.000125m, Characters = 3 },
            CostUsd = 0.000444696m, CostStatus = CostStatus.Estimated, CostReason = "r", EstimatedCostUsd = 12345.6789m,
            PriceSource = "test", PriceSourceDate = new DateOnly(2026, 1, 31), ServiceTier = "default", ProviderRequestId = "prq",
        };
        var sparse = row with
        {
            HttpStatus = null, PriceSourceDate = null, CostUsd = null, EstimatedCostUsd = null, LatencyMs = 0.1 + 0.2,
            Status = AttemptStatus.Success, CostStatus = CostStatus.NotBilled,
        };

        Assert.Equal("b87e06590559c756c833362b5bffa28e0361d1fd04d8e7f575969dfc163ed386", OperationLogChain.HashOf(7, row, OperationLogChain.Genesis));
        Assert.Equal("f837009f2140a9b8a0a7315fa6b5fa45d610168608420234f66959f914934070", OperationLogChain.HashOf(8, sparse, OperationLogChain.Genesis));
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
