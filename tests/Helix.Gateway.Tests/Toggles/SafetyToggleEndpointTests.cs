using System.Net;
using Helix.Core.Principals;
using Helix.Core.Toggles;
using Helix.Gateway.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Toggles;

/// <summary><c>RefuseAgentsWhile</c>: defence in depth behind roles, on the route endpoints' own filter.</summary>
public sealed class SafetyToggleEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(PrincipalRole.Agent, HttpStatusCode.Forbidden)]
    [InlineData(PrincipalRole.Operator, HttpStatusCode.OK)]
    [InlineData(PrincipalRole.Admin, HttpStatusCode.OK)]
    public async Task RefuseAgentsWhile_LockedToggleOn_RefusesOnlyAgents(PrincipalRole role, HttpStatusCode expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(SafetyToggles.Default);
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            context.SetPrincipal(new Principal("p-1", "someone", role));
            return next(context);
        });
        app.MapPut("/routes/{operation}", (string operation) => Results.Ok(operation)).RefuseAgentsWhile(ToggleNames.AgentsCannotChangeRoutes);
        await app.StartAsync(Ct);

        using var response = await app.GetTestClient().PutAsync("/routes/chat", null, Ct);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var problem = await Json.ReadAsync(response);
            Assert.Equal("forbidden_by_safety_toggle", problem.GetProperty("code").GetString());
            Assert.Contains(ToggleNames.AgentsCannotChangeRoutes, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await app.StopAsync(Ct);
    }
}
