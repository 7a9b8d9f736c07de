using Helix.Core.Audit;
using Helix.Core.Principals;
using Helix.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Principals;

public sealed class ApiKeyServiceTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly Principal s_admin = new("key_admin", "ops lead", PrincipalRole.Admin);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EditAsync_RoleOperationsAndRate_TheDirectoryServesTheNewPrincipal_HistoryHasBeforeAndAfter()
    {
        var (service, directory, history) = Create();
        var (key, secret) = await service.CreateAsync(s_admin, "billing", PrincipalRole.App, ["chat"], 60, Ct);
        Assert.True(directory.TryResolve(secret, out var before));
        Assert.Equal(key.Id + "/60", before.RateLimitPartition);

        var result = await service.EditAsync(s_admin, key.Id, new ApiKeyPatch
        {
            Role = PrincipalRole.Agent,
            SetsOperations = true,
            Operations = ["email-drafting"],
            SetsRequestsPerMinute = true,
            RequestsPerMinute = null,
        }, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(("billing", PrincipalRole.Agent, (int?)null), (result.Value.Name, result.Value.Role, result.Value.RequestsPerMinute));
        Assert.True(directory.TryResolve(secret, out var after));
        Assert.Equal(PrincipalRole.Agent, after.Principal.Role);
        Assert.Equal(["email-drafting"], after.Principal.Operations);
        Assert.Null(after.RequestsPerMinute);
        Assert.Equal(key.Id, after.RateLimitPartition);
        var change = history.Records[^1];
        Assert.Equal(("key.update", key.Id, "key_admin"), (change.Action, change.Target, change.ActorId));
        Assert.Contains("\"role\":\"app\"", change.Before, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"agent\"", change.After, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, change.Before + change.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditAsync_Refused_ChangesNothing_RecordsNothing()
    {
        var (service, directory, history) = Create();
        var (app, appSecret) = await service.CreateAsync(s_admin, "app", PrincipalRole.App, ["chat"], null, Ct);
        var (self, _) = await service.CreateAsync(s_admin, "me", PrincipalRole.Admin, null, null, Ct);
        var (gone, _) = await service.CreateAsync(s_admin, "gone", PrincipalRole.Viewer, null, null, Ct);
        await service.RevokeAsync(s_admin, gone.Id, Ct);
        var recorded = history.Records.Count;
        var asSelf = new Principal(self.Id, self.Name, PrincipalRole.Admin);

        var unknown = await service.EditAsync(s_admin, "key_none", new ApiKeyPatch { Name = "x" }, Ct);
        var revoked = await service.EditAsync(s_admin, gone.Id, new ApiKeyPatch { Name = "back" }, Ct);
        var ownRole = await service.EditAsync(asSelf, self.Id, new ApiKeyPatch { Role = PrincipalRole.Viewer }, Ct);
        var personWithOperations = await service.EditAsync(s_admin, app.Id, new ApiKeyPatch { Role = PrincipalRole.Viewer }, Ct);
        var badName = await service.EditAsync(s_admin, app.Id, new ApiKeyPatch { Name = "bad\u0001name" }, Ct);
        var noOperations = await service.EditAsync(s_admin, app.Id, new ApiKeyPatch { SetsOperations = true, Operations = [] }, Ct);
        var badRate = await service.EditAsync(s_admin, app.Id, new ApiKeyPatch { SetsRequestsPerMinute = true, RequestsPerMinute = 0 }, Ct);
        var same = await service.EditAsync(s_admin, app.Id, new ApiKeyPatch { Name = "app", Role = PrincipalRole.App }, Ct);

        Assert.Equal(404, unknown.Error!.StatusCode);
        Assert.Equal((409, 409), (revoked.Error!.StatusCode, ownRole.Error!.StatusCode));
        Assert.All([personWithOperations, badName, noOperations, badRate], r => Assert.Equal(400, r.Error!.StatusCode));
        Assert.True(same.IsSuccess);
        Assert.Equal(recorded, history.Records.Count);
        Assert.True(directory.TryResolve(appSecret, out var entry));
        Assert.Equal((PrincipalRole.App, "app"), (entry.Principal.Role, entry.Principal.Name));
        Assert.Equal(["chat"], entry.Principal.Operations);
    }

    private static (ApiKeyService Service, KeyDirectory Directory, RecordingHistory History) Create()
    {
        var store = new InMemoryKeyStore();
        var time = new FakeTimeProvider(s_start);
        var directory = new KeyDirectory(store, time);
        var history = new RecordingHistory();
        return (new ApiKeyService(store, directory, history, time), directory, history);
    }

    private sealed class RecordingHistory : IChangeHistory
    {
        public List<ChangeRecord> Records { get; } = [];

        public Task<ChangeEntry> AppendAsync(ChangeRecord change, CancellationToken cancellationToken = default)
        {
            Records.Add(change);
            return Task.FromResult(new ChangeEntry(Records.Count, s_start, change, "p", "h"));
        }

        public Task<IReadOnlyList<ChangeEntry>> ListAsync(int limit, long? beforeId = null, string? target = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The tests read Records.");

        public Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The tests read Records.");
    }
}
