using Helix.Core.Hosting;
using Helix.Gateway;
using Helix.Gateway.Admin;
using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane;
using Helix.Gateway.Providers;
using Helix.Simulator;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8080");
}

var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
var validation = new ValidateGatewayOptions().Validate(null, options);
if (validation.Failed)
{
    throw new OptionsValidationException(GatewayOptions.SectionName, typeof(GatewayOptions), validation.Failures);
}

// The simulator starts before the container is built: the adapters need its loopback address.
SimulatorServer? simulator = null;
if (ProviderSetup.SimulatorWanted(options))
{
    simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Port = options.Simulator.Port });
    builder.Services.AddSingleton(simulator);
}

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(new AdminKey(AdminKey.Resolve(options, builder.Environment.ContentRootPath)));
builder.Services.AddOptions<HelixOptions>().BindConfiguration(HelixOptions.SectionName);
builder.Services.AddOptions<Helix.Core.Resilience.ResilienceOptions>().BindConfiguration(Helix.Core.Resilience.ResilienceOptions.SectionName);
builder.Services.AddHelixSqliteStorage(options.Storage.ConnectionString);
builder.Services.AddHostedService<StorageInitializer>();
builder.Services.AddHelix().AddConfiguredProviders(options, simulator?.BaseAddress);
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

var app = builder.Build();
app.UseExceptionHandler();
app.UseMiddleware<ReadinessMiddleware>();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapGet("/healthz", () => Results.Text("ok")).ExcludeFromDescription();
app.MapDataPlane();
app.MapAdminApi();

app.Lifetime.ApplicationStopped.Register(() => simulator?.DisposeAsync().AsTask().GetAwaiter().GetResult());
await app.RunAsync();

/// <summary>The gateway's entry point; public so tests can host it.</summary>
public partial class Program;
