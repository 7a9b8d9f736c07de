using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Helix.Core.Routing;

/// <summary>An immutable view of every route and model, swapped whole when an admin changes one.</summary>
/// <remarks>A request reads the current snapshot once and keeps it; readers never lock.</remarks>
public sealed class RoutingSnapshot
{
    private readonly FrozenDictionary<string, RouteDecision> _decisions;
    private readonly FrozenDictionary<string, RouteDecision>.AlternateLookup<ReadOnlySpan<char>> _decisionsBySpan;

    /// <summary>Builds a snapshot and checks that every route names known models.</summary>
    /// <exception cref="InvalidOperationException">A route names a model that is not in the catalog; the message names both.</exception>
    public RoutingSnapshot(long revision, IEnumerable<RouteConfig> routes, IEnumerable<ModelConfig> models)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(models);
        Revision = revision;
        Models = models.ToFrozenDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        _decisions = routes.ToFrozenDictionary(r => r.Operation, Decide, StringComparer.OrdinalIgnoreCase);
        _decisionsBySpan = _decisions.GetAlternateLookup<ReadOnlySpan<char>>();
        Routes = [.. _decisions.Values.Select(d => d.Route).OrderBy(r => r.Operation, StringComparer.Ordinal)];
    }

    /// <summary>The revision of the snapshot; higher is newer.</summary>
    public long Revision { get; }

    /// <summary>The model catalog by id.</summary>
    public FrozenDictionary<string, ModelConfig> Models { get; }

    /// <summary>Every route, ordered by operation.</summary>
    public ImmutableArray<RouteConfig> Routes { get; }

    /// <summary>Finds the route of <paramref name="operation"/> without allocating.</summary>
    public bool TryGetRoute(ReadOnlySpan<char> operation, out RouteDecision decision) =>
        _decisionsBySpan.TryGetValue(operation, out decision!);

    /// <summary>Finds a model of the catalog by id, or by its provider model id when that is unambiguous.</summary>
    public ModelConfig? FindModel(string idOrProviderModel)
    {
        if (Models.TryGetValue(idOrProviderModel, out var model))
        {
            return model;
        }

        ModelConfig? match = null;
        foreach (var candidate in Models.Values)
        {
            if (string.Equals(candidate.ProviderModel, idOrProviderModel, StringComparison.OrdinalIgnoreCase))
            {
                if (match is not null)
                {
                    return null;
                }

                match = candidate;
            }
        }

        return match;
    }

    private RouteDecision Decide(RouteConfig route)
    {
        var targets = ImmutableArray.CreateBuilder<ModelConfig>(1 + route.FallbackModels.Count);
        foreach (var id in route.FallbackModels.Prepend(route.PrimaryModel))
        {
            if (!Models.TryGetValue(id, out var model))
            {
                throw new InvalidOperationException($"Route '{route.Operation}' names model '{id}', which is not in the model catalog.");
            }

            targets.Add(model);
        }

        return new RouteDecision(route, targets.MoveToImmutable());
    }
}
