using BenchmarkDotNet.Attributes;
using Helix.Core.Routing;

namespace Helix.Benchmarks;

/// <summary>The request path's route decision: operation name (a slice of "op:chat") to the resolved chain.</summary>
[MemoryDiagnoser]
public class RouteDecisionBenchmarks
{
    private RoutingSnapshot _snapshot = null!;
    private string _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        ModelConfig[] models =
        [
            new() { Id = "deepseek/deepseek-v4-flash", Provider = "deepseek", ProviderModel = "deepseek-v4-flash" },
            new() { Id = "gemini/gemini-2.5-flash", Provider = "gemini", ProviderModel = "gemini-2.5-flash" },
            new() { Id = "gemini/gemini-2.5-pro", Provider = "gemini", ProviderModel = "gemini-2.5-pro" },
        ];
        string[] operations = ["chat", "agent", "memory-synthesis", "sentiment-analysis", "email-drafting", "video-understanding"];
        var routes = operations.Select(op => new RouteConfig
        {
            Operation = op,
            PrimaryModel = "deepseek/deepseek-v4-flash",
            FallbackModels = ["gemini/gemini-2.5-flash", "gemini/gemini-2.5-pro"],
        });
        _snapshot = new RoutingSnapshot(1, routes, models);
        _model = "op:memory-synthesis";
    }

    [Benchmark]
    public int CachedRouteDecision()
    {
        _snapshot.TryGetRoute(_model.AsSpan(3), out var decision);
        return decision.Targets.Length;
    }
}
