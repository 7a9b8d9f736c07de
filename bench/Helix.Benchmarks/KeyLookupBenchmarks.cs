using BenchmarkDotNet.Attributes;
using Helix.Core.Principals;
using Helix.Testing;

namespace Helix.Benchmarks;

/// <summary>The data plane's key check: hash the presented key, find it among 1,000 valid keys.</summary>
[MemoryDiagnoser]
public class KeyLookupBenchmarks
{
    private KeyDirectory _keys = null!;
    private string _presented = null!;

    [GlobalSetup]
    public void Setup()
    {
        var store = new InMemoryKeyStore();
        for (var i = 0; i < 1000; i++)
        {
            var key = ApiKeySecrets.Generate(PrincipalRole.App);
            store.CreateAsync(new ApiKeyRecord($"key_{i:D4}", $"app {i}", PrincipalRole.App, null, null, key.Hash, DateTimeOffset.UnixEpoch, "bench"))
                .GetAwaiter().GetResult();
            _presented = key.Secret;
        }

        _keys = new KeyDirectory(store, TimeProvider.System);
        _keys.ReloadAsync().GetAwaiter().GetResult();
    }

    /// <summary>Resolves a valid key to its principal.</summary>
    [Benchmark]
    public bool ResolveKey() => _keys.TryResolve(_presented, out _);
}
