using Helix.Core.ChatClients;
using Helix.Core.Hosting;
using Helix.Core.OperationLog;
using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Simulator;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Helix.Gateway.Tests.Readme;

/// <summary>
/// The README's in-process snippet, compiled and run as written: the lines between the markers below are the
/// README's, and a test checks the README still holds them verbatim.
/// </summary>
public sealed class ReadmeInProcessSnippetTests
{
    private const string Begin = "// README in-process snippet: begin";
    private const string End = "// README in-process snippet: end";

    [Fact]
    public async Task Snippet_RunsAsWritten_MigratesRoutesPricesAndLogsTheCall()
    {
        await using var simulator = await SimulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var deepseek = new ProviderEndpoint(new Uri(simulator.BaseAddress, "deepseek"), null);
        DeleteDatabase();
        try
        {
#pragma warning disable xUnit1051 // the README's lines, as a reader would write them: no test token
            // README in-process snippet: begin
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddHelix()
                .AddSqliteStorage("Data Source=helix.db")  // schema migrated as a start-up step
                .AddChatProvider(_ => new OpenAICompatibleChatProvider("deepseek", new HttpClient(), deepseek));
            using var host = builder.Build();
            await host.StartAsync();

            IChatClient chat = host.Services.GetHelixChatClient("chat");
            ChatResponse answer = await chat.GetResponseAsync("Hello");
            Console.WriteLine($"{answer.Text} (cost {answer.AdditionalProperties?["helix.cost_usd"]} USD)");
            await host.StopAsync();
            // README in-process snippet: end
#pragma warning restore xUnit1051

            Assert.False(string.IsNullOrWhiteSpace(answer.Text));
            var cost = Assert.IsType<decimal>(answer.AdditionalProperties?["helix.cost_usd"]);
            Assert.True(cost > 0m);
            var log = host.Services.GetRequiredService<IOperationLogStore>();
            var page = await log.QueryAsync(new LogQuery("chat", null, 10, null), TestContext.Current.CancellationToken);
            var row = Assert.Single(page.Items);
            Assert.Equal("in-process", row.Principal);
            Assert.Equal(cost, row.CostUsd);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            DeleteDatabase();
        }
    }

    private static void DeleteDatabase()
    {
        foreach (var file in new[] { "helix.db", "helix.db-wal", "helix.db-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Readme_HoldsTheSnippetVerbatim()
    {
        var source = RepositoryFiles.Read("tests", "Helix.Gateway.Tests", "Readme", "ReadmeInProcessSnippetTests.cs").ReplaceLineEndings("\n");
        var lines = source.Split('\n');
        var begin = Array.FindIndex(lines, l => l.Trim() == Begin);
        var end = Array.FindIndex(lines, l => l.Trim() == End);
        Assert.True(begin >= 0 && end > begin, "The snippet markers are missing.");
        var block = lines[(begin + 1)..end];
        var indent = block.Where(l => l.Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var snippet = string.Join('\n', block.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

        var readme = RepositoryFiles.Read("README.md").ReplaceLineEndings("\n");

        Assert.Contains(snippet, readme, StringComparison.Ordinal);
    }
}
