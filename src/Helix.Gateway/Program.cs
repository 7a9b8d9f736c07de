using Helix.Core.Budgets;
using Helix.Core.Hosting;
using Helix.Gateway.Hosting;
using Helix.Gateway.Admin;
using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane;
using Helix.Gateway.Providers;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8080");
}

// Request lines carry query strings, which some clients fill with keys: the hosting and HttpClient request logs
// (Information) are off; their warnings and errors remain.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

var options = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
var validation = new ValidateGatewayOptions().Validate(null, options);
if (validation.Failed)
{
    throw new OptionsValidationException(GatewayOptions.SectionName, typeof(GatewayOptions), validation.Failures);
}

// The simulator is the first hosted service: it listens before anything else starts, and the adapters,
// created on first use, read its loopback address then.
var simulatorWanted = ProviderSetup.SimulatorWanted(options);
if (simulatorWanted)
{
    builder.Services.AddSingleton(new SimulatorHost(options.Simulator.Port));
    builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatorHost>());
}

builder.Services.AddSingleton(options);
if (options.PriceOverridesFile is { Length: > 0 } priceFile)
{
    builder.Services.AddSingleton(ConfiguredPrices.Load(priceFile));
}

builder.Services.AddSingleton(new AdminKey(AdminKey.Resolve(options, builder.Environment.ContentRootPath)));
builder.Services.AddOptions<HelixOptions>().BindConfiguration(HelixOptions.SectionName);
builder.Services.AddOptions<Helix.Core.Resilience.ResilienceOptions>().BindConfiguration(Helix.Core.Resilience.ResilienceOptions.SectionName);
builder.Services.AddHelixSqliteStorage(options.Storage.ConnectionString);
builder.Services.AddHostedService<StorageInitializer>();
builder.Services.AddHelix().AddConfiguredProviders(options, simulatorWanted);
builder.Services.AddOptions<Helix.Core.Budgets.BudgetsOptions>().BindConfiguration(Helix.Core.Budgets.BudgetsOptions.SectionName);
builder.Services.AddHelixBudgets();
builder.Services.AddSingleton<Helix.Core.Pricing.LogRepricer>();
builder.Services.AddHelixOpenTelemetry(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;

    // An admin body with a key twice is refused (400), not read as whichever value came last.
    json.SerializerOptions.AllowDuplicateProperties = false;
});
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages(ErrorShapes.WriteEmptyErrorAsync);
app.UseMiddleware<ReadinessMiddleware>();
app.UseWhen(AdminAuthorizationMiddleware.Applies, admin => admin.UseMiddleware<AdminAuthorizationMiddleware>());
app.MapOpenApi("/openapi/{documentName}.json");
app.MapGet("/healthz", HealthEndpoint.HandleAsync).ExcludeFromDescription();
app.MapDataPlane();
app.MapAdminApi();

await app.RunAsync();

