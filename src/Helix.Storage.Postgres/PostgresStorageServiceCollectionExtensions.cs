using Helix.Core.Alerts;
using Helix.Core.Audit;
using Helix.Core.Budgets;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Helix.Core.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Storage.Postgres;

/// <summary>Registers the shared PostgreSQL store.</summary>
public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgresDatabase"/> over <paramref name="connectionString"/> and every PostgreSQL store
    /// as its Core contract (routes, operation log and its chain, prices, reconciliation, budgets, alerts, change history,
    /// toggles, keys, approvals, dashboard accounts, call feedback), all
    /// singletons, and the hosted services that share the database with other instances: migration at start-up
    /// (unless <see cref="PostgresStorageOptions.Migrate"/> is off), the instance lease with recovery of dead peers'
    /// attempts, the budget coordinator (hard budgets exact across instances), the change listener (LISTEN/NOTIFY) and log retention.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Adjusts the options, or <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddHelixPostgresStorage(this IServiceCollection services, string connectionString, Action<PostgresStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgresStorageOptions();
        configure?.Invoke(options);
        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("The instance lease must last at least one second.", nameof(configure));
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new PostgresDatabase(connectionString, sp.GetService<TimeProvider>(), options.InstanceId));
        services.AddSingleton(sp => new PostgresOperationLogStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IRouteStore>(sp => new PostgresRouteStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IOperationLogStore>(sp => sp.GetRequiredService<PostgresOperationLogStore>());
        services.AddSingleton<IOperationLogChain>(sp => sp.GetRequiredService<PostgresOperationLogStore>());
        services.AddSingleton<IPriceStore>(sp => new PostgresPriceStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IReconciliationStore>(sp => new PostgresReconciliationStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IBudgetStore>(sp => new PostgresBudgetStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IAlertStore>(sp => new PostgresAlertStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IChangeHistory>(sp => new PostgresChangeHistory(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Toggles.IToggleStore>(sp => new PostgresToggleStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Principals.IKeyStore>(sp => new PostgresKeyStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Approvals.IApprovalStore>(sp => new PostgresApprovalStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Accounts.IUserStore>(sp => new PostgresUserStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Feedback.IFeedbackStore>(sp => new PostgresFeedbackStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Experiments.IExperimentStore>(sp => new PostgresExperimentStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Recommendations.IRecommendationStore>(sp => new PostgresRecommendationStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<Helix.Core.Insights.IInsightsStore>(sp => new PostgresInsightsStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton(sp => new PostgresBudgetCoordinator(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<IBudgetStore>()));
        services.AddSingleton<IBudgetCoordinator>(sp => sp.GetRequiredService<PostgresBudgetCoordinator>());
        services.AddHostedService<PostgresStorageStartup>();
        services.AddSingleton<PostgresInstanceLease>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresInstanceLease>());
        services.AddHostedService<PostgresChangeListener>();
        return services;
    }
}
