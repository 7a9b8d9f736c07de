namespace Helix.Core.Calls.Chat;

/// <summary>What one read of a chat request's bytes captures for the pipeline.</summary>
internal struct ChatRequestFields
{
    public string? Model;
    public bool Stream;
    public bool IncludeUsage;
    public string? User;
    public string? ServiceTier;
    public int? MaxTokens;
    public int? MaxCompletionTokens;
    public int InputTokens;
    public int ImageParts;
    public string? PromptPrefixHash;
}
