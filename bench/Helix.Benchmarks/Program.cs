using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point: <c>dotnet run -c Release --project bench/Helix.Benchmarks -- --filter '*'</c>.</summary>
public partial class Program;
