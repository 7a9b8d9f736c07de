namespace Helix.Core.Routing;

/// <summary>An entry of the model catalog: which provider serves it, under which id.</summary>
/// <remarks>Immutable routing data.</remarks>
public sealed record ModelConfig
{
    /// <summary>The catalog id, <c>provider/model</c> (<c>deepseek/deepseek-v4-flash</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The provider id.</summary>
    public required string Provider { get; init; }

    /// <summary>The id the provider knows the model by.</summary>
    public required string ProviderModel { get; init; }

    /// <summary>What kind of calls the model serves.</summary>
    public Modality Modality { get; init; } = Modality.Chat;

    /// <summary>The largest output the model produces when a request sets no cap, for worst-case estimates.</summary>
    public int DefaultMaxOutputTokens { get; init; } = 8192;

    /// <summary>Builds the catalog id of a provider model.</summary>
    public static string IdOf(string provider, string providerModel) => $"{provider}/{providerModel}";
}
