namespace Helix.Core.Principals;

/// <summary>A valid key as the <see cref="KeyDirectory"/> serves it: its principal and its rate limit.</summary>
/// <remarks>Immutable but for the last-used time, which the request path sets with one atomic write and the directory flushes.</remarks>
public sealed class KeyEntry
{
    private readonly byte[] _hash;
    private long _usedTicks;
    private long _flushedTicks;

    internal KeyEntry(ApiKeyRecord record)
    {
        Principal = record.ToPrincipal();
        RequestsPerMinute = record.RequestsPerMinute;
        RateLimitPartition = record.RequestsPerMinute is { } perMinute
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{record.Id}/{perMinute}")
            : record.Id;
        _hash = record.Hash.ToArray();
        var used = record.LastUsedAt?.UtcTicks ?? 0;
        _usedTicks = used;
        _flushedTicks = used;
    }

    /// <summary>Who the key names.</summary>
    public Principal Principal { get; }

    /// <summary>The key's own rate limit per minute, or <see langword="null"/> for the configured default.</summary>
    public int? RequestsPerMinute { get; }

    /// <summary>
    /// The name of the key's rate-limit partition: its id, with its own limit when it has one, so a limit changed by an
    /// edit is a new partition with the new limit from the next request (a rate limiter keeps a partition's first limit).
    /// </summary>
    public string RateLimitPartition { get; }

    internal ReadOnlySpan<byte> Hash => _hash;

    internal void MarkUsed(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;

        // One plain write per request, no lock: losing a race between two requests of the same instant loses nothing.
        if (ticks > Volatile.Read(ref _usedTicks))
        {
            Volatile.Write(ref _usedTicks, ticks);
        }
    }

    /// <summary>The use not yet flushed, if any; marks it flushed.</summary>
    internal KeyUse? TakeUnflushedUse()
    {
        var used = Volatile.Read(ref _usedTicks);
        if (used <= _flushedTicks)
        {
            return null;
        }

        _flushedTicks = used;
        return new KeyUse(Principal.Id, new DateTimeOffset(used, TimeSpan.Zero));
    }

    /// <summary>Carries the uses of the entry this one replaces over a reload.</summary>
    internal void CarryUsesFrom(KeyEntry previous)
    {
        if (previous._usedTicks > _usedTicks)
        {
            _usedTicks = previous._usedTicks;
        }

        if (previous._flushedTicks > _flushedTicks)
        {
            _flushedTicks = previous._flushedTicks;
        }
    }
}
