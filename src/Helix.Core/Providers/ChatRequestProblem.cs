namespace Helix.Core.Providers;

/// <summary>Why a chat request's bytes were refused: not JSON, not an object, or a field outside OpenAI's request schema.</summary>
/// <param name="Message">The reason, worded for the caller.</param>
/// <param name="Param">The field to blame (<c>messages[3].content</c>), or <see langword="null"/> when the body as a whole is wrong.</param>
public sealed record ChatRequestProblem(string Message, string? Param);
