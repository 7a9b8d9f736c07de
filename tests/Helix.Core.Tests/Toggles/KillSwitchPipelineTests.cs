using System.Text.Json.Nodes;
using Helix.Core.Pipeline;
using Helix.Core.Tests.Hosting;
using Helix.Core.Toggles;
using Helix.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Core.Tests.Toggles;

/// <summary>The kill switches in the default pipeline, wired by <c>AddHelix</c>: <c>chat</c> is deepseek, falling back to gemini.</summary>
public sealed class KillSwitchPipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Body => new() { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) };

    private static async Task<(ServiceProvider Services, ToggleTable Toggles)> StartAsync(HelixTestServices helix, InMemoryToggleStore store)
    {
        helix.Services.AddSingleton<IToggleStore>(store);
        var services = await helix.BuildInitializedAsync(Ct);
        var toggles = services.GetRequiredService<ToggleTable>();
        await toggles.InitializeAsync(Ct);
        return (services, toggles);
    }

    private static Task<Result<ChatOutcome>> ChatAsync(ServiceProvider services, string requestId = "req") =>
        services.GetRequiredService<OperationPipeline>().CompleteChatAsync(new OperationRequest { Operation = "chat", RequestId = requestId }, Body, Ct);

    [Fact]
    public async Task PrimaryModelKilled_NextCallIsServedByTheFallbackWithoutCallingThePrimary()
    {
        await using var helix = new HelixTestServices();
        var (services, toggles) = await StartAsync(helix, new InMemoryToggleStore());
        Assert.Equal("deepseek/deepseek-v4-flash", (await ChatAsync(services, "before")).Value!.Model.Id);

        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillModel("deepseek/deepseek-v4-flash"), true), "op-1", Ct);
        var result = await ChatAsync(services, "after");

        Assert.Equal("gemini/gemini-2.5-flash", result.Value!.Model.Id);
        Assert.Single(helix.DeepSeek.Calls);
        Assert.DoesNotContain(helix.Log.Entries, e => e.RequestId == "after" && e.Model == "deepseek/deepseek-v4-flash");
    }

    [Fact]
    public async Task ProviderKilled_ItsModelsAreSkipped()
    {
        await using var helix = new HelixTestServices();
        var (services, toggles) = await StartAsync(helix, new InMemoryToggleStore());

        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillProvider("deepseek"), true), "op-1", Ct);
        var result = await ChatAsync(services);

        Assert.Equal("gemini/gemini-2.5-flash", result.Value!.Model.Id);
        Assert.Empty(helix.DeepSeek.Calls);
    }

    [Fact]
    public async Task OperationKilled_AnswersOperationDisabledWithoutCallingOrLogging_AndSwitchingItOffServesTheNextCall()
    {
        await using var helix = new HelixTestServices();
        var (services, toggles) = await StartAsync(helix, new InMemoryToggleStore());

        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillOperation("chat"), true), "op-1", Ct);
        var killed = await ChatAsync(services, "killed");
        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillOperation("chat"), false), "op-1", Ct);
        var revived = await ChatAsync(services, "revived");

        Assert.Equal(("operation_disabled", 403), (killed.Error?.Code, killed.Error?.StatusCode));
        Assert.Contains("kill:operation:chat", killed.Error!.Message, StringComparison.Ordinal);
        Assert.True(revived.IsSuccess);
        Assert.Single(helix.DeepSeek.Calls);
        Assert.DoesNotContain(helix.Log.Entries, e => e.RequestId == "killed");
    }

    [Fact]
    public async Task GlobalKill_AnswersOperationDisabled()
    {
        await using var helix = new HelixTestServices();
        var (services, toggles) = await StartAsync(helix, new InMemoryToggleStore());

        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillGlobal, true), "op-1", Ct);
        var result = await ChatAsync(services);

        Assert.Equal("operation_disabled", result.Error?.Code);
        Assert.Contains("kill:global", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryModelKilled_AnswersOperationDisabledNamingTheToggles()
    {
        await using var helix = new HelixTestServices();
        var (services, toggles) = await StartAsync(helix, new InMemoryToggleStore());

        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillProvider("deepseek"), true), "op-1", Ct);
        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillModel("gemini/gemini-2.5-flash"), true), "op-1", Ct);
        var result = await ChatAsync(services);

        Assert.Equal(("operation_disabled", 403), (result.Error?.Code, result.Error?.StatusCode));
        Assert.Contains("kill:provider:deepseek", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("kill:model:gemini/gemini-2.5-flash", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(helix.DeepSeek.Calls);
        Assert.Empty(helix.Gemini.Calls);
    }

    [Fact]
    public async Task Calls_AreCheckedFromTheSnapshot_WithoutReadingTheStore()
    {
        await using var helix = new HelixTestServices();
        var store = new InMemoryToggleStore();
        var (services, toggles) = await StartAsync(helix, store);
        await toggles.SetAsync(new ToggleUpdate(ToggleNames.KillModel("gemini/gemini-2.5-flash"), true), "op-1", Ct);
        var reads = store.Reads;

        for (var i = 0; i < 20; i++)
        {
            Assert.True((await ChatAsync(services, $"req-{i}")).IsSuccess);
        }

        Assert.Equal(reads, store.Reads);
    }
}
