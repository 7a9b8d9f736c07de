namespace Helix.Cli.Metering;

/// <summary>What <c>helix cost</c> was given to meter: a saved response body or stream, and the request's text.</summary>
/// <param name="Provider">The provider id, lower case.</param>
/// <param name="Body">The response body as saved (UTF-8, without a byte order mark), or <see langword="null"/> when none was given.</param>
/// <param name="Stream">Whether the body is an SSE transcript (or, for Deepgram, the streaming messages).</param>
/// <param name="Multichannel">Whether a Deepgram request set <c>multichannel=true</c>.</param>
/// <param name="InputText">The text of a speech request, for providers that bill its characters.</param>
internal sealed record ProviderResponse(string Provider, byte[]? Body, bool Stream, bool Multichannel, string? InputText);
