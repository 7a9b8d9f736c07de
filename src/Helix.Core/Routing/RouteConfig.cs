namespace Helix.Core.Routing;

/// <summary>An operation's configuration: which models serve it, in which order, and under which policies.</summary>
/// <remarks>Immutable routing data; a change is a new version.</remarks>
public sealed record RouteConfig
{
    /// <summary>The operation name (<c>chat</c>, <c>memory-synthesis</c>, …).</summary>
    public required string Operation { get; init; }

    /// <summary>The catalog id of the model tried first.</summary>
    public required string PrimaryModel { get; init; }

    /// <summary>Catalog ids tried in order when the primary fails.</summary>
    public IReadOnlyList<string> FallbackModels { get; init; } = [];

    /// <summary>What kind of calls the operation makes.</summary>
    public Modality Modality { get; init; } = Modality.Chat;

    /// <summary>Whether the operation accepts calls.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>What to do with a model that has no known price.</summary>
    public UnknownPricePolicy UnknownPricePolicy { get; init; } = UnknownPricePolicy.Flag;

    /// <summary>
    /// The output cap of the operation's calls: sent upstream when a request sets none, and used for the worst-case
    /// estimate (budgets reserve it). <see langword="null"/> leaves the model's own maximum.
    /// </summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// Whether this version retires the operation: it answers <c>unknown_operation</c> until created again, and its
    /// history stays.
    /// </summary>
    public bool Retired { get; init; }

    /// <summary>The version of the route, raised by every change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>When the route last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who last changed the route.</summary>
    public string UpdatedBy { get; init; } = "seed";
}
