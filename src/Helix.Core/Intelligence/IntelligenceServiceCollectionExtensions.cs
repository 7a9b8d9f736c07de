using Helix.Core.Approvals;
using Helix.Core.Experiments;
using Helix.Core.Recommendations;
using Helix.Core.Savings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helix.Core.Intelligence;

/// <summary>Registers the savings calculator, experiments and recommendations.</summary>
public static class IntelligenceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SavingsCalculator"/>, <see cref="ExperimentTable"/> (which the pipeline's experiment step reads),
    /// <see cref="ExperimentService"/>, <see cref="RecommendationService"/>, the <see cref="RecommendationApplier"/> (an
    /// <see cref="IApprovedRequestHandler"/>) and the <see cref="IntelligenceMonitor"/>. The storage must register
    /// <see cref="IExperimentStore"/>, <see cref="IRecommendationStore"/>, <see cref="IApprovalStore"/> and the change history;
    /// <c>AddHelixApprovals</c> the approvals' options and announcer.
    /// </summary>
    public static IServiceCollection AddHelixIntelligence(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<IntelligenceOptions>();
        services.TryAddSingleton<SavingsCalculator>();
        services.TryAddSingleton<ExperimentTable>();
        services.TryAddSingleton<ExperimentEvaluator>();
        services.TryAddSingleton<ExperimentService>();
        services.TryAddSingleton<RequestPatternScanner>();
        services.TryAddSingleton<RecommendationEngine>();
        services.TryAddSingleton<RecommendationService>();
        services.TryAddSingleton<RecommendationApplier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApprovedRequestHandler, RecommendationApplier>(sp => sp.GetRequiredService<RecommendationApplier>()));
        services.AddHostedService<IntelligenceMonitor>();
        return services;
    }
}
