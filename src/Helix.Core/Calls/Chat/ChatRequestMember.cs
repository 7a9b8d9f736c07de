namespace Helix.Core.Calls.Chat;

/// <summary>The top-level members of a chat request that an OpenAI-compatible upstream's copy changes; all others are copied as they are.</summary>
internal enum ChatRequestMember
{
    Other,
    Model,
    Stream,
    StreamOptions,
    MaxTokens,
    MaxCompletionTokens,
}
