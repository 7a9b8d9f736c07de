using System.Runtime.CompilerServices;
using System.Text;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Core.Tests.ChatClients;

/// <summary>A provider stream that plays raw OpenAI chunks as given, for shapes <c>FakeChatStream</c> does not make.</summary>
/// <remarks>A chunk with a <c>"usage"</c> object and no choices is sent as the usage chunk. Not thread-safe.</remarks>
internal sealed class ScriptedChatStream(UsageReport usage, params string[] chunks) : IChatCompletionStream
{
    public UsageReport Usage { get; private set; } = UsageReport.Unknown();

    public ProviderError? Error => null;

    public string StreamedText => string.Empty;

    public async IAsyncEnumerable<StreamChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            var isUsage = chunk.Contains("\"choices\":[]", StringComparison.Ordinal);
            if (isUsage)
            {
                Usage = usage;
            }

            yield return new StreamChunk(Encoding.UTF8.GetBytes(chunk), isUsage);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
