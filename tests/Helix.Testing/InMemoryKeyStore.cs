using Helix.Core.Principals;

namespace Helix.Testing;

/// <summary>API keys in memory, counting its writes of last-used times.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryKeyStore : IKeyStore
{
    private readonly Lock _gate = new();
    private readonly List<ApiKeyRecord> _keys = [];

    /// <summary>How many times <see cref="RecordUsesAsync"/> wrote something.</summary>
    public int UseWrites { get; private set; }

    public Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_keys.Any(k => k.Id == key.Id || k.Hash.Span.SequenceEqual(key.Hash.Span)))
            {
                throw new InvalidOperationException("A key with this id or hash exists already.");
            }

            _keys.Add(key);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<(ApiKeyRecord Before, ApiKeyRecord After)?> UpdateAsync(string id, ApiKeyEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        lock (_gate)
        {
            var index = _keys.FindIndex(k => k.Id == id);
            if (index < 0)
            {
                return Task.FromResult<(ApiKeyRecord, ApiKeyRecord)?>(null);
            }

            var before = _keys[index];
            var after = before.RevokedAt is null
                ? before with { Name = edit.Name, Role = edit.Role, Operations = edit.Operations, RequestsPerMinute = edit.RequestsPerMinute }
                : before;
            _keys[index] = after;
            return Task.FromResult<(ApiKeyRecord, ApiKeyRecord)?>((before, after));
        }
    }

    public Task<(ApiKeyRecord Before, ApiKeyRecord After)?> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = _keys.FindIndex(k => k.Id == id);
            if (index < 0)
            {
                return Task.FromResult<(ApiKeyRecord, ApiKeyRecord)?>(null);
            }

            var before = _keys[index];
            var after = before.RevokedAt is null ? before with { RevokedAt = at } : before;
            _keys[index] = after;
            return Task.FromResult<(ApiKeyRecord, ApiKeyRecord)?>((before, after));
        }
    }

    public Task RecordUsesAsync(IReadOnlyCollection<KeyUse> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        lock (_gate)
        {
            UseWrites++;
            foreach (var use in uses)
            {
                var index = _keys.FindIndex(k => k.Id == use.Id);
                if (index >= 0 && (_keys[index].LastUsedAt is null || _keys[index].LastUsedAt < use.At))
                {
                    _keys[index] = _keys[index] with { LastUsedAt = use.At };
                }
            }
        }

        return Task.CompletedTask;
    }
}
