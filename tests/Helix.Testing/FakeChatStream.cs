using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Testing;

/// <summary>A provider stream that plays scripted text chunks, then (optionally) a usage chunk or an error.</summary>
/// <remarks>
/// Each delta becomes one OpenAI <c>chat.completion.chunk</c>. With <see cref="FinalUsage"/> set, the stream ends with
/// a usage-only chunk and <see cref="Usage"/> reports it; without, the stream ends as if cut before its usage. With
/// <see cref="FailWith"/> set, the stream stops after <see cref="FailAfterChunks"/> chunks and reports the error, as
/// adapters do. <see cref="BeforeChunk"/> runs before each chunk with the reader's token: a hook for delays, gates and
/// cancellation. Not thread-safe, like a real stream.
/// </remarks>
public sealed class FakeChatStream : IChatCompletionStream
{
    private readonly StringBuilder _text = new();

    /// <summary>Creates a stream of <paramref name="deltas"/>.</summary>
    public FakeChatStream(params string[] deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        Deltas = deltas;
    }

    /// <summary>The content deltas, one chunk each.</summary>
    public IReadOnlyList<string> Deltas { get; }

    /// <summary>The usage sent in a final usage-only chunk; <see langword="null"/> ends the stream without usage.</summary>
    public UsageReport? FinalUsage { get; init; }

    /// <summary>The error that ends the stream early, or <see langword="null"/>.</summary>
    public ProviderError? FailWith { get; init; }

    /// <summary>How many chunks are sent before <see cref="FailWith"/> ends the stream.</summary>
    public int FailAfterChunks { get; init; }

    /// <summary>Runs before chunk number <c>i</c> (0-based; the usage chunk is number <c>Deltas.Count</c>).</summary>
    public Func<int, CancellationToken, Task>? BeforeChunk { get; set; }

    /// <summary>How many chunks the reader received.</summary>
    public int ChunksSent { get; private set; }

    /// <summary>Whether <see cref="DisposeAsync"/> ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    public UsageReport Usage { get; private set; } = UsageReport.Unknown();

    /// <inheritdoc/>
    public ProviderError? Error { get; private set; }

    /// <inheritdoc/>
    public string StreamedText => _text.ToString();

    /// <summary>The JSON of a content chunk.</summary>
    public static string ContentChunkJson(string delta) =>
        $$$"""{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":{{{JsonSerializer.Serialize(delta)}}}}}]}""";

    /// <summary>The JSON of a usage-only chunk.</summary>
    public static string UsageChunkJson(in UsageMeters meters) =>
        $$$"""{"object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":{{{meters.PromptTokens}}},"completion_tokens":{{{meters.CompletionTokens}}}}}""";

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < Deltas.Count; i++)
        {
            if (FailWith is not null && i == FailAfterChunks)
            {
                Error = FailWith;
                yield break;
            }

            await BeforeAsync(i, cancellationToken);
            _text.Append(Deltas[i]);
            ChunksSent++;
            yield return new StreamChunk(Encoding.UTF8.GetBytes(ContentChunkJson(Deltas[i])), IsUsageOnly: false);
        }

        if (FailWith is not null)
        {
            Error = FailWith;
            yield break;
        }

        if (FinalUsage is { } usage)
        {
            await BeforeAsync(Deltas.Count, cancellationToken);
            Usage = usage;
            ChunksSent++;
            yield return new StreamChunk(Encoding.UTF8.GetBytes(UsageChunkJson(usage.Meters)), IsUsageOnly: true);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }

    private async Task BeforeAsync(int chunk, CancellationToken cancellationToken)
    {
        if (BeforeChunk is { } before)
        {
            await before(chunk, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
