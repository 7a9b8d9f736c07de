using BenchmarkDotNet.Running;
using Helix.Benchmarks;

// Entry point: dotnet run -c Release --project bench/Helix.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
