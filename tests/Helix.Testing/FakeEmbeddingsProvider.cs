using System.Collections.Concurrent;
using System.Text;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Testing;

/// <summary>An embeddings provider whose answers are scripted by a delegate; records every call it receives.</summary>
/// <remarks>Thread-safe as long as the delegate is. Unscripted calls answer one 3-dimension vector and 8 input tokens.</remarks>
public sealed class FakeEmbeddingsProvider : IEmbeddingsProvider
{
    private readonly ConcurrentQueue<EmbeddingsCall> _calls = new();

    /// <summary>Creates a provider named <paramref name="name"/>.</summary>
    public FakeEmbeddingsProvider(string name = "fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Answers <see cref="EmbedAsync"/>.</summary>
    public Func<EmbeddingsCall, CancellationToken, Task<ProviderResult<EmbeddingsResponse>>> OnEmbed { get; set; } =
        (_, _) => Task.FromResult(ProviderResult<EmbeddingsResponse>.Success(Response(8)));

    /// <summary>Every call received, in order.</summary>
    public IReadOnlyList<EmbeddingsCall> Calls => [.. _calls];

    /// <inheritdoc/>
    public Task<ProviderResult<EmbeddingsResponse>> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        _calls.Enqueue(call);
        return OnEmbed(call, cancellationToken);
    }

    /// <summary>An answer in the OpenAI shape with <paramref name="inputTokens"/> of usage.</summary>
    public static EmbeddingsResponse Response(long inputTokens, string model = "fake-embedding")
    {
        var body = $$$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],"model":"{{{model}}}","usage":{"prompt_tokens":{{{inputTokens}}},"total_tokens":{{{inputTokens}}}}}""";
        return new EmbeddingsResponse(Encoding.UTF8.GetBytes(body), new UsageReport(new UsageMeters { InputTokens = inputTokens }, IsKnown: true, model));
    }
}
