using Helix.Core.Alerts;
using Helix.Core.Pricing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Helix.Core.Approvals;

/// <summary>Registers the approval gate.</summary>
public static class ApprovalsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the approval gate (picked up by the default pipeline), the policies served from memory and loaded at
    /// start-up, the decision service, the waiters, and announcements as <c>approval_requested</c> alerts. Needs an
    /// <see cref="IApprovalStore"/> and, for announcements to reach the notifiers, <c>AddHelixBudgets</c> (its alert
    /// center); call it after the storage whose start-up must run first.
    /// </summary>
    public static IServiceCollection AddHelixApprovals(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ApprovalOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApprovalOptions>, ValidateApprovalOptions>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApprovalPolicyTable>();
        services.TryAddSingleton(sp => new ApprovalWaiters(sp.GetRequiredService<IOptions<ApprovalOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IApprovalAnnouncer>(sp => new AlertApprovalAnnouncer(sp.GetRequiredService<AlertCenter>()));
        services.TryAddSingleton<ApprovalService>();
        services.TryAddSingleton(sp => new ApprovalGate(
            sp.GetRequiredService<IApprovalStore>(),
            sp.GetRequiredService<ApprovalPolicyTable>(),
            sp.GetRequiredService<ApprovalWaiters>(),
            sp.GetRequiredService<IApprovalAnnouncer>(),
            sp.GetRequiredService<CostEngine>(),
            sp.GetRequiredService<IOptions<ApprovalOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ApprovalStartup>();
        return services;
    }
}
