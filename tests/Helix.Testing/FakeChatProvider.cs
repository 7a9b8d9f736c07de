using System.Collections.Concurrent;
using System.Text;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Testing;

/// <summary>A chat provider whose answers are scripted by delegates; records every call it receives.</summary>
/// <remarks>
/// Thread-safe as long as the delegates are. Unscripted calls answer with a small completion (10 input tokens, 5 output
/// tokens) and an open <see cref="FakeChatStream"/> of two chunks with usage.
/// </remarks>
public sealed class FakeChatProvider : IChatProvider
{
    private readonly ConcurrentQueue<ChatCall> _calls = new();

    /// <summary>Creates a provider named <paramref name="name"/>.</summary>
    public FakeChatProvider(string name = "fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Whether the pipeline may call it while the attempt's record commits (the scripted delegates then await <see cref="ChatCall.RecordCommitted"/> as an HTTP adapter's last bytes would).</summary>
    public bool HoldsRequestForRecord { get; set; }

    /// <summary>Answers <see cref="CompleteAsync"/>.</summary>
    public Func<ChatCall, CancellationToken, Task<ProviderResult<ChatCompletion>>> OnComplete { get; set; } =
        (_, _) => Task.FromResult(ProviderResult<ChatCompletion>.Success(Completion(10, 5)));

    /// <summary>Answers <see cref="StreamAsync"/>.</summary>
    public Func<ChatCall, CancellationToken, Task<ProviderResult<IChatCompletionStream>>> OnStream { get; set; } =
        (_, _) => Task.FromResult(ProviderResult<IChatCompletionStream>.Success(
            new FakeChatStream("Hello", " world") { FinalUsage = new UsageReport(new UsageMeters { InputTokens = 10, OutputTokens = 2 }, IsKnown: true) }));

    /// <summary>Every call received, complete and streamed, in order.</summary>
    public IReadOnlyList<ChatCall> Calls => [.. _calls];

    /// <inheritdoc/>
    public Task<ProviderResult<ChatCompletion>> CompleteAsync(ChatCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        _calls.Enqueue(call);
        return OnComplete(call, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ProviderResult<IChatCompletionStream>> StreamAsync(ChatCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        _calls.Enqueue(call);
        return OnStream(call, cancellationToken);
    }

    /// <summary>A completion in the OpenAI shape with known usage.</summary>
    /// <param name="inputTokens">Uncached input tokens.</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <param name="reportedModel">The model the response names.</param>
    /// <param name="serviceTier">The tier the provider says it used.</param>
    /// <param name="providerRequestId">The provider's id of the call.</param>
    public static ChatCompletion Completion(
        long inputTokens, long outputTokens, string? reportedModel = null, string? serviceTier = null, string? providerRequestId = null)
    {
        var body = $$$"""{"id":"{{{providerRequestId ?? "chatcmpl-fake"}}}","object":"chat.completion","model":"{{{reportedModel ?? "fake"}}}","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{inputTokens}}},"completion_tokens":{{{outputTokens}}}}}""";
        return new ChatCompletion(
            Encoding.UTF8.GetBytes(body),
            new UsageReport(new UsageMeters { InputTokens = inputTokens, OutputTokens = outputTokens }, IsKnown: true, reportedModel, serviceTier, providerRequestId));
    }

    /// <summary>An answer that is always <paramref name="completion"/>.</summary>
    public static Func<ChatCall, CancellationToken, Task<ProviderResult<ChatCompletion>>> Answer(ChatCompletion completion) =>
        (_, _) => Task.FromResult(ProviderResult<ChatCompletion>.Success(completion));

    /// <summary>An answer that always opens <paramref name="stream"/>.</summary>
    public static Func<ChatCall, CancellationToken, Task<ProviderResult<IChatCompletionStream>>> Answer(IChatCompletionStream stream) =>
        (_, _) => Task.FromResult(ProviderResult<IChatCompletionStream>.Success(stream));

    /// <summary>An answer that always fails with <paramref name="error"/>.</summary>
    public static Func<ChatCall, CancellationToken, Task<ProviderResult<TValue>>> Fail<TValue>(ProviderError error) =>
        (_, _) => Task.FromResult(ProviderResult<TValue>.Failure(error));

    /// <summary>Answers in turn with each of <paramref name="answers"/>, then repeats the last one.</summary>
    public static Func<ChatCall, CancellationToken, Task<ProviderResult<TValue>>> Sequence<TValue>(params ProviderResult<TValue>[] answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfZero(answers.Length);
        var next = -1;
        return (_, _) => Task.FromResult(answers[Math.Min(Interlocked.Increment(ref next), answers.Length - 1)]);
    }

    /// <summary>An answer that never comes: it waits until the call's token is cancelled, then throws.</summary>
    /// <param name="entered">Completed when a call starts waiting, so a test knows when to cancel or advance time.</param>
    public static Func<ChatCall, CancellationToken, Task<ProviderResult<TValue>>> Hang<TValue>(TaskCompletionSource? entered = null) =>
        async (_, cancellationToken) =>
        {
            entered?.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("An infinite delay ended without cancellation.");
        };
}
