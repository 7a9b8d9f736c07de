namespace Helix.Core.Routing;

/// <summary>An operation to create, as an admin describes it.</summary>
/// <param name="Operation">The name: lowercase letters, digits and dashes (see <see cref="OperationNames"/>).</param>
/// <param name="PrimaryModel">The model tried first (catalog id, or provider model id when unambiguous).</param>
/// <param name="FallbackModels">The models tried in order when the primary fails; <see langword="null"/> for none.</param>
/// <param name="Modality">The kind of calls; <see langword="null"/> takes the primary model's.</param>
/// <param name="UnknownPricePolicy">What to do with a model that has no price; <see langword="null"/> is <see cref="Routing.UnknownPricePolicy.Flag"/>.</param>
/// <param name="MaxOutputTokens">The output cap of the operation's calls, or <see langword="null"/> for the model's own maximum.</param>
public sealed record NewRoute(
    string Operation,
    string PrimaryModel,
    IReadOnlyList<string>? FallbackModels = null,
    Modality? Modality = null,
    UnknownPricePolicy? UnknownPricePolicy = null,
    int? MaxOutputTokens = null);
