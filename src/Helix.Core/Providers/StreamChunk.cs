namespace Helix.Core.Providers;

/// <summary>One event of a chat stream in the OpenAI <c>chat.completion.chunk</c> shape.</summary>
/// <param name="Json">The UTF-8 JSON payload (without the <c>data: </c> framing).</param>
/// <param name="IsUsageOnly">Whether this is the final usage chunk (<c>"choices":[]</c>), sent only to callers who asked for usage.</param>
public readonly record struct StreamChunk(ReadOnlyMemory<byte> Json, bool IsUsageOnly);
