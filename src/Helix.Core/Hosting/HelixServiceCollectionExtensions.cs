using Helix.Core.Alerts;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Core.Toggles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Hosting;

/// <summary>Registers the Helix control plane in a service collection.</summary>
public static class HelixServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pipeline, routing, pricing, resilience, alerts, toggles and kill switches and the group-commit log
    /// writer. Storage (<see cref="IRouteStore"/>, <see cref="IOperationLogStore"/>, <see cref="IPriceStore"/>, and
    /// <see cref="IToggleStore"/> for admins' toggles; without one only the locked toggles exist) and chat providers
    /// are added separately.
    /// </summary>
    /// <returns>A builder to add providers with.</returns>
    public static HelixBuilder AddHelix(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HelixOptions>();
        services.AddOptions<ResilienceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilienceOptions>, ValidateResilienceOptions>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ResilienceOptions>>().Value);
        services.TryAddSingleton(_ => new CostEngine(BuiltInPriceBook.Create()));
        services.TryAddSingleton<RouteTable>();
        services.TryAddSingleton<CircuitBreakerRegistry>();
        services.TryAddSingleton<LoggingAlertSink>();
        services.TryAddSingleton<IAlertSink>(sp => sp.GetRequiredService<LoggingAlertSink>());
        services.TryAddSingleton<OperationLogWriter>();
        services.TryAddSingleton<OpenAttemptRecovery>();
        services.TryAddSingleton(sp => new ProviderRegistry(
            sp.GetServices<IChatProvider>(),
            sp.GetServices<IEmbeddingsProvider>(),
            sp.GetServices<ITranscriptionProvider>(),
            sp.GetServices<ISpeechProvider>()));
        services.AddOptions<TogglesOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TogglesOptions>, ValidateTogglesOptions>());
        services.TryAddSingleton(sp => new SafetyToggles(sp.GetRequiredService<IOptions<TogglesOptions>>().Value.Locked.Select(l => l.ToToggle())));
        services.TryAddSingleton(sp => new ToggleTable(sp.GetService<IToggleStore>(), sp.GetRequiredService<SafetyToggles>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PipelineServices(
            sp.GetRequiredService<RouteTable>(),
            sp.GetRequiredService<ProviderRegistry>(),
            sp.GetRequiredService<CostEngine>(),
            sp.GetRequiredService<OperationLogWriter>(),
            sp.GetRequiredService<CircuitBreakerRegistry>(),
            sp.GetRequiredService<ResilienceOptions>(),
            sp.GetRequiredService<IAlertSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OperationPipeline>>(),
            sp.GetRequiredService<ToggleTable>())
        {
            Experiments = sp.GetService<Experiments.ExperimentTable>(),
            OverlapRecordCommit = sp.GetRequiredService<IOptions<HelixOptions>>().Value.OverlapRecordCommit,
        });
        services.TryAddSingleton(sp => new OperationPipeline(
            sp.GetRequiredService<PipelineServices>(), b => OperationPipeline.UseDefaultSteps(b, sp.GetService<Budgets.BudgetReservation>(), sp.GetService<Approvals.ApprovalGate>())));
        services.TryAddSingleton<HelixInitializer>();
        services.TryAddSingleton<Pricing.Import.PriceImporter>();
        services.TryAddSingleton<Reconciliation.ReconciliationService>();
        services.AddHostedService<HelixRefreshService>();
        services.AddHostedService<ToggleRefreshService>();
        return new HelixBuilder(services);
    }
}
