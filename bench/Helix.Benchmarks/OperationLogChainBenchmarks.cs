using System.Text;
using BenchmarkDotNet.Attributes;
using Helix.Core.OperationLog;
using Helix.Testing;

namespace Helix.Benchmarks;

/// <summary>What the operation log's hash chain adds to the writer: one SHA-256 per row, computed in the batch.</summary>
[MemoryDiagnoser]
public class OperationLogChainBenchmarks
{
    private static readonly OperationLogEntry s_row = TestEntries.Success("req_0193a8f2c4d07b6e9f1a2b3c4d5e6f70", user: "user-42") with
    {
        ProviderRequestId = "chatcmpl-abc123",
        ReportedModel = "gpt-4o-mini-2024-07-18",
    };

    private readonly StringBuilder _scratch = new(512);

    /// <summary>One row, with the writer's reused scratch buffer.</summary>
    [Benchmark]
    public string HashOneRow() => OperationLogChain.HashOf(42, s_row, OperationLogChain.Genesis, _scratch);
}
