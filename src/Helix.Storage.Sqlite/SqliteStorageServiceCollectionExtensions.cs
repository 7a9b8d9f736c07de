using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Storage.Sqlite;

/// <summary>Registers the embedded SQLite store.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="SqliteDatabase"/> over <paramref name="connectionString"/> and the SQLite route, operation log
    /// and price stores as <see cref="IRouteStore"/>, <see cref="IOperationLogStore"/> and <see cref="IPriceStore"/>, all singletons.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <see cref="SqliteDatabase.DefaultConnectionString"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>
    /// The host must call <see cref="SqliteDatabase.InitializeAsync"/> at start-up, before the stores are used. The
    /// database's clock is the registered <see cref="TimeProvider"/>, or the system clock.
    /// </remarks>
    public static IServiceCollection AddHelixSqliteStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.AddSingleton(sp => new SqliteDatabase(connectionString, sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new SqliteRouteStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new SqliteOperationLogStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton(sp => new SqlitePriceStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IRouteStore>(sp => sp.GetRequiredService<SqliteRouteStore>());
        services.AddSingleton<IOperationLogStore>(sp => sp.GetRequiredService<SqliteOperationLogStore>());
        services.AddSingleton<IOperationLogChain>(sp => sp.GetRequiredService<SqliteOperationLogStore>());
        services.AddSingleton<IPriceStore>(sp => sp.GetRequiredService<SqlitePriceStore>());
        services.AddSingleton<Helix.Core.Reconciliation.IReconciliationStore>(sp => new SqliteReconciliationStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Budgets.IBudgetStore>(sp => new SqliteBudgetStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Alerts.IAlertStore>(sp => new SqliteAlertStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Audit.IChangeHistory>(sp => new SqliteChangeHistory(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Approvals.IApprovalStore>(sp => new SqliteApprovalStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Principals.IKeyStore>(sp => new SqliteKeyStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Accounts.IUserStore>(sp => new SqliteUserStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Feedback.IFeedbackStore>(sp => new SqliteFeedbackStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Insights.IInsightsStore>(sp => new SqliteInsightsStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Toggles.IToggleStore>(sp => new SqliteToggleStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Experiments.IExperimentStore>(sp => new SqliteExperimentStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<Helix.Core.Recommendations.IRecommendationStore>(sp => new SqliteRecommendationStore(sp.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
