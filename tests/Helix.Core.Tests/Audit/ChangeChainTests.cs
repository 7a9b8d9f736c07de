using Helix.Core.Audit;
using Xunit;

namespace Helix.Core.Tests.Audit;

public sealed class ChangeChainTests
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HashOf_ChangesWithEveryField()
    {
        var change = new ChangeRecord("key_1", "ops", "route.update", "chat", "{}", "{\"a\":1}");
        var hash = ChangeChain.HashOf(1, s_at, change, ChangeChain.Genesis);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, ChangeChain.HashOf(1, s_at, change, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(2, s_at, change, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at.AddTicks(10), change, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change with { ActorId = "key_2" }, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change with { ActorName = "ops2" }, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change with { Action = "route.create" }, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change with { Target = "agent" }, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change with { Before = null }, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change with { After = "{\"a\":2}" }, ChangeChain.Genesis));
        Assert.NotEqual(hash, ChangeChain.HashOf(1, s_at, change, hash));
    }

    [Fact]
    public void HashOf_FieldBoundariesCannotBeShifted()
    {
        // "ab" + "c" and "a" + "bc" must not hash the same: each field is length-prefixed.
        var left = ChangeChain.HashOf(1, s_at, new ChangeRecord("ab", "c", "x", "t", null, null), ChangeChain.Genesis);
        var right = ChangeChain.HashOf(1, s_at, new ChangeRecord("a", "bc", "x", "t", null, null), ChangeChain.Genesis);
        var nullVsEmpty = ChangeChain.HashOf(1, s_at, new ChangeRecord("a", "b", "x", "t", "", null), ChangeChain.Genesis);
        var nullVsNull = ChangeChain.HashOf(1, s_at, new ChangeRecord("a", "b", "x", "t", null, null), ChangeChain.Genesis);

        Assert.NotEqual(left, right);
        Assert.NotEqual(nullVsEmpty, nullVsNull);
    }

    [Fact]
    public void Verify_IntactChain_AndEachKindOfBreak()
    {
        var entries = Chain(4);

        Assert.Equal(new ChainVerification(4, null, null), ChangeChain.Verify(entries));
        Assert.Equal(new ChainVerification(0, null, null), ChangeChain.Verify([]));

        var edited = entries.ToArray();
        edited[1] = edited[1] with { Change = edited[1].Change with { After = "{\"forged\":true}" } };
        Assert.Equal(2, ChangeChain.Verify(edited).FirstBrokenId);

        var relinked = entries.ToArray();
        relinked[2] = relinked[2] with { PreviousHash = ChangeChain.Genesis };
        Assert.Equal(3, ChangeChain.Verify(relinked).FirstBrokenId);

        var gap = entries.Where(e => e.Id != 2).ToArray();
        var broken = ChangeChain.Verify(gap);
        Assert.Equal(3, broken.FirstBrokenId);
        Assert.Contains("entry 2 is missing", broken.Reason, StringComparison.Ordinal);
    }

    private static List<ChangeEntry> Chain(int count)
    {
        var entries = new List<ChangeEntry>();
        var previous = ChangeChain.Genesis;
        for (var id = 1; id <= count; id++)
        {
            var change = new ChangeRecord("key_1", "ops", "toggle.set", $"t{id}", null, "{}");
            var at = s_at.AddSeconds(id);
            var hash = ChangeChain.HashOf(id, at, change, previous);
            entries.Add(new ChangeEntry(id, at, change, previous, hash));
            previous = hash;
        }

        return entries;
    }
}
