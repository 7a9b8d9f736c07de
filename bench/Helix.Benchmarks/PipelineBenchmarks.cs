using BenchmarkDotNet.Attributes;
using Helix.Core.Alerts;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helix.Benchmarks;

/// <summary>The pipeline's own cost per call: a provider that answers at once, a log store that keeps nothing.</summary>
/// <remarks>
/// What is measured is everything Helix adds around a provider call: route, estimate (a real tokenizer count),
/// open-attempt journal and log row through the group-commit writer, pricing. No I/O: the store returns at once.
/// </remarks>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private static readonly ModelConfig s_model = new() { Id = "alpha/a-1", Provider = "alpha", ProviderModel = "a-1" };

    private OperationPipeline _pipeline = null!;
    private OperationLogWriter _log = null!;
    private RouteTable _routes = null!;
    private byte[] _body = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var resilience = new ResilienceOptions();
        var completion = FakeChatProvider.Completion(12, 5);
        var provider = new FakeChatProvider("alpha") { OnComplete = FakeChatProvider.Answer(completion) };
        _routes = new RouteTable(new InMemoryRouteStore([s_model], [new RouteConfig { Operation = "chat", PrimaryModel = s_model.Id }]), time);
        _routes.ReloadAsync().GetAwaiter().GetResult();
        var costs = new CostEngine(new PriceBook([new PriceEntry
        {
            Provider = "alpha",
            Model = "a-1",
            Rates = new PriceRates { Input = 1m, Output = 4m },
            Source = "https://prices.example/alpha",
            SourceDate = new DateOnly(2026, 1, 15),
        }]));
        _log = new OperationLogWriter(new DiscardingLogStore(), NullLogger<OperationLogWriter>.Instance);
        _pipeline = new OperationPipeline(
            _routes, new ProviderRegistry([provider]), costs, _log, new CircuitBreakerRegistry(resilience, time), resilience,
            new LoggingAlertSink(NullLogger<LoggingAlertSink>.Instance), time, NullLogger<OperationPipeline>.Instance);
        _body = """{"model":"op:chat","max_tokens":256,"messages":[{"role":"user","content":"Summarise the quarter in one line."}]}"""u8.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _routes.Dispose();
    }

    [Benchmark]
    public async Task<decimal?> CompleteChat()
    {
        var request = new OperationRequest { Operation = "chat", RequestId = "req-" + _next++ };
        // The body is read on every call, as the endpoint does (the bytes are not copied: the request only reads them).
        using var body = ChatRequest.Read(_body, _body.Length, rented: false, out _)!;
        var result = await _pipeline.CompleteChatAsync(request, body);
        return result.Value!.Cost.TotalUsd;
    }

    private sealed class DiscardingLogStore : IOperationLogStore
    {
        public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The benchmark only writes.");

        public IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The benchmark only writes.");
    }
}
