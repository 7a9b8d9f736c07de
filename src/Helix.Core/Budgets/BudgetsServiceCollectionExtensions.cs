using Helix.Core.Alerts;
using Helix.Core.Alerts.Notifiers;
using Helix.Core.Budgets.Anomalies;
using Helix.Core.OperationLog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Budgets;

/// <summary>Registers budgets, stored alerts, notifier delivery and anomaly detection.</summary>
public static class BudgetsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the budget ledger and its reservation step, settlement of reservations by the log's committed rows,
    /// the start-up rebuild, stored alerts (every <see cref="IAlertSink"/> alert too), the outbox dispatcher and
    /// anomaly detection. Needs <see cref="IBudgetStore"/>, <see cref="IAlertStore"/> and <see cref="IOperationLogStore"/>;
    /// call it after <c>AddHelix</c> and after the storage whose start-up must run first.
    /// </summary>
    public static IServiceCollection AddHelixBudgets(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<BudgetsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetsOptions>, ValidateBudgetsOptions>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoggingAlertSink>();
        services.TryAddSingleton<AlertCenter>();
        services.AddSingleton<IAlertSink>(sp => sp.GetRequiredService<AlertCenter>());
        services.TryAddSingleton(sp => new BudgetLedger(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AlertCenter>()));
        services.TryAddSingleton<BudgetSettlement>();
        services.TryAddSingleton<BudgetReservation>();
        services.TryAddSingleton<BudgetService>();

        // The writer commits through the settling decorator, so each row settles its reservation once it is durable.
        services.AddSingleton(sp => new OperationLogWriter(
            new BudgetSettlingLogStore(sp.GetRequiredService<IOperationLogStore>(), sp.GetRequiredService<BudgetSettlement>()),
            sp.GetRequiredService<ILogger<OperationLogWriter>>()));

        services.AddHostedService<BudgetStartup>();
        services.TryAddSingleton<AlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        services.TryAddSingleton<AnomalyService>();
        services.AddHostedService(sp => sp.GetRequiredService<AnomalyService>());
        return services;
    }
}
