using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Helix.Core.Principals;

/// <summary>Finds the principal of a presented key in memory: no I/O on the request path.</summary>
/// <remarks>
/// <para>
/// The directory is an immutable snapshot of the valid keys, indexed by the first 8 bytes of their hash; a presented
/// key is hashed (no allocation), its candidates found by that index, and the full 32-byte hash compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so how long a refusal takes says nothing about how close a
/// guess came. A change made through this process calls <see cref="ReloadAsync"/> before it answers (a revoked key
/// is refused from the next request); <see cref="KeyDirectoryService"/> reloads on a timer for changes made elsewhere.
/// </para>
/// <para>
/// Last-used times are kept in memory, one atomic write per request, and written to the store in one batch by
/// <see cref="FlushUsesAsync"/> (on the timer, before a listing, at shutdown): never a write per request. Thread-safe.
/// </para>
/// </remarks>
public sealed class KeyDirectory
{
    private readonly IKeyStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private volatile Snapshot _snapshot = Snapshot.CreateEmpty();

    /// <summary>Creates a directory over <paramref name="store"/>; empty until <see cref="ReloadAsync"/> runs.</summary>
    public KeyDirectory(IKeyStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>Whether any <c>app</c> or <c>agent</c> key was ever created (revoked ones count): then the data plane needs a key.</summary>
    /// <remarks>Revoking the last data-plane key does not open the data plane again.</remarks>
    public bool HasDataPlaneKeys => _snapshot.HasDataPlaneKeys;

    /// <summary>Finds the valid (not revoked) key <paramref name="presented"/> and notes its use.</summary>
    /// <param name="presented">The key as presented.</param>
    /// <param name="entry">The key's entry.</param>
    /// <returns><see langword="false"/> when no valid key matches.</returns>
    public bool TryResolve(ReadOnlySpan<char> presented, [NotNullWhen(true)] out KeyEntry? entry)
    {
        entry = null;
        Span<byte> hash = stackalloc byte[ApiKeySecrets.HashLength];
        if (!ApiKeySecrets.TryHash(presented, hash))
        {
            return false;
        }

        if (!_snapshot.ByHashPrefix.TryGetValue(BinaryPrimitives.ReadUInt64LittleEndian(hash), out var candidates))
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate.Hash, hash))
            {
                candidate.MarkUsed(_time.GetUtcNow());
                entry = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>The name of the key <paramref name="id"/> (revoked ones too), or <see langword="null"/> for no key.</summary>
    public string? NameOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _snapshot.NamesById.GetValueOrDefault(id);
    }

    /// <summary>Reads every key from the store and publishes a new snapshot; the uses noted so far carry over.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var keys = await _store.ListAsync(cancellationToken);
        lock (_gate)
        {
            var previous = _snapshot;
            var byPrefix = new Dictionary<ulong, List<KeyEntry>>();
            var byId = new Dictionary<string, KeyEntry>(StringComparer.Ordinal);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var dataPlane = false;
            foreach (var key in keys)
            {
                names[key.Id] = key.Name;
                dataPlane |= key.Role.CallsDataPlane();
                if (key.RevokedAt is not null || key.Hash.Length != ApiKeySecrets.HashLength)
                {
                    continue;
                }

                var entry = new KeyEntry(key);
                if (previous.ById.TryGetValue(key.Id, out var old))
                {
                    entry.CarryUsesFrom(old);
                }

                byId[key.Id] = entry;
                var prefix = BinaryPrimitives.ReadUInt64LittleEndian(key.Hash.Span);
                if (!byPrefix.TryGetValue(prefix, out var list))
                {
                    byPrefix[prefix] = list = [];
                }

                list.Add(entry);
            }

            // Uses noted on entries now dropped (revoked keys) are flushed with the next batch.
            List<KeyUse> orphans = [.. previous.PendingOrphans];
            foreach (var (id, old) in previous.ById)
            {
                if (!byId.ContainsKey(id) && old.TakeUnflushedUse() is { } use)
                {
                    orphans.Add(use);
                }
            }

            _snapshot = new Snapshot(
                byPrefix.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray()),
                byId.ToFrozenDictionary(StringComparer.Ordinal),
                names.ToFrozenDictionary(StringComparer.Ordinal),
                dataPlane,
                orphans);
        }
    }

    /// <summary>Writes the last-used times noted since the previous flush, in one batch; nothing when there are none.</summary>
    public async Task FlushUsesAsync(CancellationToken cancellationToken = default)
    {
        List<KeyUse> uses;
        lock (_gate)
        {
            var snapshot = _snapshot;
            uses = [.. snapshot.PendingOrphans];
            snapshot.PendingOrphans.Clear();
            foreach (var entry in snapshot.ById.Values)
            {
                if (entry.TakeUnflushedUse() is { } use)
                {
                    uses.Add(use);
                }
            }
        }

        if (uses.Count > 0)
        {
            await _store.RecordUsesAsync(uses, cancellationToken);
        }
    }

    private sealed record Snapshot(
        FrozenDictionary<ulong, KeyEntry[]> ByHashPrefix,
        FrozenDictionary<string, KeyEntry> ById,
        FrozenDictionary<string, string> NamesById,
        bool HasDataPlaneKeys,
        List<KeyUse> PendingOrphans)
    {
        public static Snapshot CreateEmpty() => new(
            FrozenDictionary<ulong, KeyEntry[]>.Empty,
            FrozenDictionary<string, KeyEntry>.Empty,
            FrozenDictionary<string, string>.Empty,
            false,
            []);
    }
}
