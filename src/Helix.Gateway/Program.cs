using Helix.Core.Approvals;
using Helix.Core.Budgets;
using Helix.Core.Hosting;
using Helix.Core.Principals;
using Helix.Core.Resilience;
using Helix.Gateway.Access;
using Helix.Dashboard;
using Helix.Gateway.Admin;
using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane;
using Helix.Gateway.Hosting;
using Helix.Gateway.Providers;
using Helix.Storage.Postgres;
using Helix.Storage.Sqlite;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

// A configuration error is the user's to fix, not a crash: print the keys to fix and exit with status 1.
try
{
    return await RunAsync(args);
}
catch (OptionsValidationException ex)
{
    return ConfigurationError(ex.Failures);
}
catch (GatewayConfigurationException ex)
{
    return ConfigurationError(ex.Failures);
}
catch (Helix.Core.Toggles.LockedToggleConflictException ex)
{
    // A stored toggle contradicts a locked safety toggle: refuse to serve rather than guess which one holds.
    return ConfigurationError(ex.Conflicts.Select(c => $"{c}; delete that row from the toggles table (a locked toggle is fixed by code and configuration)."));
}
catch (InvalidOperationException ex) when (ex.Source == "Microsoft.Extensions.Configuration.Binder")
{
    // "Failed to convert configuration value 'abc' at 'Helix:Resilience:AttemptTimeout' to type 'System.TimeSpan'."
    return ConfigurationError([ex.Message]);
}
catch (Exception ex) when (ex is AddressInUseException || (ex is IOException && ex.InnerException is AddressInUseException))
{
    return ConfigurationError([$"{ex.Message} Choose another address with --urls (for example --urls http://127.0.0.1:8081)."]);
}

static int ConfigurationError(IEnumerable<string> failures)
{
    Console.Error.WriteLine("Helix cannot start; fix the configuration and start again:");
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"  - {failure}");
    }

    return 1;
}

static async Task<int> RunAsync(string[] args)
{
    // Configuration is read once, at start-up (every options class is bound and validated then; nothing watches for
    // changes), so the default reload-on-change is turned off: it puts a recursive file watcher on the content root,
    // which holds data/helix.db by default, and every commit of the durable log then woke the watcher's thread (about
    // a tenth of a core at one caller in bench/peers). Given first, so the command line can still turn it back on.
    var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);

    // The dashboard's static assets are served from the build's manifest, never reloaded from disk: runtime reload
    // (a development aid) adds a catch-all GET route, {**path:file}, that would turn a wrong method on /v1 into a 404
    // and an unknown /v1 path into a 405.
    builder.Configuration.AddInMemoryCollection([new("ReloadStaticAssetsAtRuntime", "false")]);

    // The shipped defaults (log levels) sit next to the binary; `dotnet run` starts in the repository root, so they
    // are added as the lowest layer: an appsettings.json in the working directory, the environment and the command
    // line all override them.
    var shipped = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
    {
        Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
        Optional = true,
    };
    shipped.ResolveFileProvider();
    builder.Configuration.Sources.Insert(0, shipped);
    if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    {
        builder.WebHost.UseUrls("http://127.0.0.1:8080");
    }

    // Request lines carry query strings, which some clients fill with keys: the hosting and HttpClient request logs
    // (Information) are off; their warnings and errors remain.
    builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
    builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

    // Host settings are read once, here, because they decide which services exist; every options class is also
    // bound with validation at start-up (STYLE.md), so a bad key is reported before anything is served.
    var options = StartupConfiguration.Read(builder.Configuration);

    builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
    builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, ValidateGatewayOptions>();
    builder.Services.AddOptions<HelixOptions>().BindConfiguration(HelixOptions.SectionName).ValidateOnStart();
    builder.Services.AddSingleton<IValidateOptions<HelixOptions>, ValidateHelixOptions>();
    builder.Services.AddOptions<ResilienceOptions>().BindConfiguration(ResilienceOptions.SectionName).ValidateOnStart();
    builder.Services.AddOptions<Helix.Core.Toggles.TogglesOptions>().BindConfiguration(Helix.Core.Toggles.TogglesOptions.SectionName);

    // The simulator is the first hosted service: it listens before anything else starts, and the adapters,
    // created on first use, read its loopback address then.
    var placement = ProviderPlacement.Of(options);
    var simulatorWanted = ProviderSetup.SimulatorWanted(options);
    if (simulatorWanted)
    {
        builder.Services.AddSingleton(new SimulatorHost(options.Simulator.Port));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SimulatorHost>());
    }

    builder.Services.AddSingleton(options);
    builder.Services.AddSingleton(placement);
    if (options.PriceOverridesFile is { Length: > 0 } priceFile)
    {
        builder.Services.AddSingleton(ConfiguredPrices.Load(priceFile));
    }

    builder.Services.AddSingleton(new AdminKey(AdminKey.Resolve(options, builder.Environment.ContentRootPath)));
    if (options.Storage.IsPostgres)
    {
        builder.Services.AddHelixPostgresStorage(options.Storage.ConnectionString, options.Storage.ApplyTo);
    }
    else
    {
        builder.Services.AddHelixSqliteStorage(options.Storage.ConnectionString);
    }

    builder.Services.AddHostedService<StorageInitializer>();
    builder.Services.AddOptions<KeysOptions>().BindConfiguration(KeysOptions.SectionName);
    builder.Services.AddHelixKeys();
    builder.Services.AddDataPlaneRateLimits(options);
    builder.Services.AddHelix().AddConfiguredProviders(options, simulatorWanted);
    builder.Services.AddHostedService<ProviderStartupReport>();
    builder.Services.AddOptions<BudgetsOptions>().BindConfiguration(BudgetsOptions.SectionName);
    builder.Services.AddHelixBudgets();
    builder.Services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.SectionName);
    builder.Services.AddHelixApprovals();
    builder.Services.AddOptions<Helix.Core.Intelligence.IntelligenceOptions>().BindConfiguration(Helix.Core.Intelligence.IntelligenceOptions.SectionName);
    Helix.Core.Intelligence.IntelligenceServiceCollectionExtensions.AddHelixIntelligence(builder.Services);
    builder.Services.AddSingleton<Helix.Core.Pricing.LogRepricer>();
    builder.Services.AddSingleton<Helix.Gateway.Audit.ChangeRecorder>();
    builder.Services.AddHelixOpenTelemetry(builder.Configuration);

    // The dashboard at / (its hosted services run after StorageInitializer: the accounts table exists by then).
    builder.Services.AddHelixDashboard(builder.Configuration);
    builder.WebHost.UseStaticWebAssets();
    builder.Services.AddProblemDetails();
    builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
    builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer<BearerSecurityTransformer>());
    builder.Services.ConfigureHttpJsonOptions(json =>
    {
        json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;

        // An admin body with a key twice is refused (400), not read as whichever value came last.
        json.SerializerOptions.AllowDuplicateProperties = false;
    });
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

    var app = builder.Build();

    // Resolve every options class now: a bad value throws here, before the host starts and logs it as a crash.
    _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
    _ = app.Services.GetRequiredService<IOptions<HelixOptions>>().Value;
    _ = app.Services.GetRequiredService<IOptions<ResilienceOptions>>().Value;
    _ = app.Services.GetRequiredService<IOptions<Helix.Core.Toggles.TogglesOptions>>().Value;

    // The locked safety toggles are verified before the host starts, so a stored row that contradicts one stops the
    // gateway as a configuration error naming it (a failing hosted service would be logged as a crash first). The
    // migration is idempotent: the storage initializer finds the schema current.
    if (app.Services.GetService<SqliteDatabase>() is { } sqlite)
    {
        await sqlite.InitializeAsync();
    }

    if (app.Services.GetService<PostgresDatabase>() is { } postgres && options.Storage.Migrate)
    {
        await postgres.InitializeAsync();
    }

    await app.Services.GetRequiredService<Helix.Core.Toggles.ToggleTable>().InitializeAsync();

    app.UseExceptionHandler();
    app.UseStatusCodePages(ErrorShapes.WriteEmptyErrorAsync);
    app.UseMiddleware<ReadinessMiddleware>();
    app.UseWhen(AdminAuthorizationMiddleware.Applies, admin => admin.UseMiddleware<AdminAuthorizationMiddleware>());
    app.UseWhen(DataPlaneAuthenticationMiddleware.Applies, v1 => v1.UseMiddleware<DataPlaneAuthenticationMiddleware>().UseRateLimiter());
    app.MapOpenApi("/openapi/{documentName}.json");
    app.MapGet("/healthz", HealthEndpoint.HandleAsync).ExcludeFromDescription();
    app.MapReadiness();
    app.MapDataPlane();
    app.MapAdminApi();
    app.UseHelixDashboard();

    await app.RunAsync();
    return 0;
}
