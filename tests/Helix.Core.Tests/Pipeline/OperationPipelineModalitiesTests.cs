using System.Text.Json.Nodes;
using Helix.Core.Estimation;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Testing;
using Xunit;
using static Helix.Core.Tests.Pipeline.OperationPipelineTests;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.Pipeline;

public sealed class OperationPipelineModalitiesTests
{
    private const string Text = "The quick brown fox jumps over the lazy dog.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_ProviderAnswers_PricesInputTokensAndLogsWorstCaseFromTokenizer()
    {
        await using var h = await CreateAsync(null, Embeddings());
        h.AlphaEmbeddings.OnEmbed = (_, _) => Task.FromResult(ProviderResult<EmbeddingsResponse>.Success(FakeEmbeddingsProvider.Response(10)));
        var body = new JsonObject { ["model"] = "op:embeddings", ["input"] = Text };

        var outcome = Succeeded(await h.Pipeline.EmbedAsync(Request("embeddings"), body, Ct));

        Assert.Equal(("embeddings", E1, 1), (outcome.Operation, outcome.Model, outcome.Attempts));
        Assert.Equal(10 * 0.02m / 1_000_000m, outcome.Cost.TotalUsd);
        Assert.Same(body, Assert.Single(h.AlphaEmbeddings.Calls).Request);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Success, 10L, CostStatus.Priced), (row.Status, row.Meters.InputTokens, row.CostStatus));
        Assert.Equal(TokenCounter.Count(Text) * 0.02m / 1_000_000m, row.EstimatedCostUsd);
        Assert.Empty(h.Store.OpenAttempts);
    }

    [Fact]
    public async Task EmbedAsync_InputArray_WorstCaseCountsEveryItem()
    {
        await using var h = await CreateAsync(null, Embeddings());
        var body = new JsonObject { ["input"] = new JsonArray(Text, Text, new JsonArray(1, 2, 3)) };

        Succeeded(await h.Pipeline.EmbedAsync(Request("embeddings"), body, Ct));

        Assert.Equal((2 * TokenCounter.Count(Text) + 3) * 0.02m / 1_000_000m, Assert.Single(h.Store.Entries).EstimatedCostUsd);
    }

    [Fact]
    public async Task EmbedAsync_PrimaryFails_FallsBackWithBothAttemptsLogged()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 0 }, Embeddings());
        h.AlphaEmbeddings.OnEmbed = (_, _) => Task.FromResult<ProviderResult<EmbeddingsResponse>>(ServerError());

        var outcome = Succeeded(await h.Pipeline.EmbedAsync(Request("embeddings"), new JsonObject { ["input"] = Text }, Ct));

        Assert.Equal((BE1, 2), (outcome.Model, outcome.Attempts));
        Assert.Equal(["upstream_server_error", null], h.Store.Entries.Select(e => e.ErrorCode));
    }

    [Fact]
    public async Task EmbedAsync_ChatRoute_ReturnsModalityMismatchBeforeAnyProvider()
    {
        await using var h = await CreateAsync();

        var error = Failed(await h.Pipeline.EmbedAsync(Request("chat"), new JsonObject { ["input"] = Text }, Ct));

        Assert.Equal(("operation_modality_mismatch", 400), (error.Code, error.StatusCode));
        Assert.Contains("not embeddings", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Alpha.Calls);
        Assert.Equal(0L, h.Store.Batches);
    }

    [Fact]
    public async Task TranscribeAsync_DurationFromHeader_WorstCaseIsSecondsTimesChannelsAndCostFromUsage()
    {
        await using var h = await CreateAsync(null, Transcription());
        var input = Audio(bytes: 1000, duration: 30m, channels: 2);

        var outcome = Succeeded(await h.Pipeline.TranscribeAsync(Request("audio-transcription"), input, Ct));

        Assert.Equal((T1, "hello"), (outcome.Model, outcome.Transcript.Text));
        Assert.Equal(30m / 60m * 0.006m, outcome.Cost.TotalUsd);
        var call = Assert.Single(h.AlphaTranscription.Calls);
        Assert.Equal((30m, "audio/wav"), (call.DurationSeconds, call.ContentType));
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(30m, row.Meters.AudioSeconds);
        Assert.Equal(60m / 60m * 0.006m, row.EstimatedCostUsd);
    }

    [Fact]
    public async Task TranscribeAsync_DurationUnknown_WorstCaseFromSizeAtThinnestBitrate()
    {
        await using var h = await CreateAsync(null, Transcription());

        Succeeded(await h.Pipeline.TranscribeAsync(Request("audio-transcription"), Audio(bytes: 10_000, duration: null), Ct));

        Assert.Equal(20m / 60m * 0.006m, Assert.Single(h.Store.Entries).EstimatedCostUsd);
    }

    [Fact]
    public async Task TranscribeAsync_Primary503_FallsBackWithBothAttemptsLogged()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 0 }, Transcription());
        h.AlphaTranscription.OnTranscribe = (_, _) => Task.FromResult<ProviderResult<Transcript>>(ServerError());

        var outcome = Succeeded(await h.Pipeline.TranscribeAsync(Request("audio-transcription"), Audio(1000, 12m), Ct));

        Assert.Equal((BT1, 2), (outcome.Model, outcome.Attempts));
        Assert.Collection(
            h.Store.Entries,
            failed => Assert.Equal((AttemptStatus.Failed, "alpha/t-1", 503), (failed.Status, failed.Model, failed.HttpStatus)),
            served => Assert.Equal((AttemptStatus.Success, "beta/bt-1", 12m), (served.Status, served.Model, served.Meters.AudioSeconds)));
    }

    [Fact]
    public async Task SpeakAsync_AudioRead_StreamsBuffersAndSettlesOnceRowIsDurable()
    {
        await using var h = await CreateAsync(null, Speech());
        // s-1 is priced per character only, like tts-1: its answer meters characters (a seconds meter would need a rate).
        var stream = new FakeSpeechStream(Text.Length, 0m, [1, 2], [3]);
        h.AlphaSpeech.OnSynthesize = (_, _) => Task.FromResult(ProviderResult<ISpeechStream>.Success(stream));
        var input = new SpeechInput { Input = Text, Voice = "alloy" };

        await using var outcome = Succeeded(await h.Pipeline.SpeakAsync(Request("text-to-speech"), input, Ct));
        Assert.Equal((S1, "audio/mpeg", 1), (outcome.Model, outcome.ContentType, outcome.Attempt));
        Assert.Empty(h.Store.Entries);
        var bytes = new List<byte>();
        await foreach (var buffer in outcome.ReadAsync(Ct))
        {
            bytes.AddRange(buffer.ToArray());
        }

        Assert.Equal([1, 2, 3], bytes);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Success, true, (long)Text.Length), (row.Status, row.Streamed, row.Meters.Characters));
        Assert.Equal(Text.Length * 15m / 1_000_000m, row.CostUsd);
        Assert.Equal(row.CostUsd, outcome.Cost?.TotalUsd);
        Assert.Equal(Text.Length * 15m / 1_000_000m, row.EstimatedCostUsd);
        Assert.Empty(h.Store.OpenAttempts);
    }

    [Fact]
    public async Task SpeakAsync_DisposedUnread_LogsCancelledAndBilled()
    {
        await using var h = await CreateAsync(null, Speech());
        var stream = new FakeSpeechStream(Text.Length, 3m, [1, 2], [3]);
        h.AlphaSpeech.OnSynthesize = (_, _) => Task.FromResult(ProviderResult<ISpeechStream>.Success(stream));

        var outcome = Succeeded(await h.Pipeline.SpeakAsync(Request("text-to-speech"), new SpeechInput { Input = Text, Voice = "alloy" }, Ct));
        await outcome.DisposeAsync();

        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Cancelled, "client_disconnected"), (row.Status, row.ErrorCode));
        Assert.NotEqual(CostStatus.NotBilled, row.CostStatus);
        Assert.True(stream.IsDisposed);
        Assert.Empty(h.Store.OpenAttempts);
    }

    [Fact]
    public async Task SpeakAsync_PrimaryFailsToStart_FallsBackToFreeVoice()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 0 }, Speech());
        h.AlphaSpeech.OnSynthesize = (_, _) => Task.FromResult<ProviderResult<ISpeechStream>>(ServerError());

        await using var outcome = Succeeded(await h.Pipeline.SpeakAsync(Request("text-to-speech"), new SpeechInput { Input = Text, Voice = "alloy" }, Ct));
        await foreach (var _ in outcome.ReadAsync(Ct))
        {
        }

        Assert.Equal((BS1, 2), (outcome.Model, outcome.Attempt));
        Assert.Equal((CostStatus.Priced, 0m), (outcome.Cost?.Status, outcome.Cost?.TotalUsd));
        Assert.Equal([AttemptStatus.Failed, AttemptStatus.Success], h.Store.Entries.Select(e => e.Status));
    }

    private static RouteConfig Embeddings() => Route("embeddings", E1.Id, BE1.Id) with { Modality = Modality.Embeddings };

    private static RouteConfig Transcription() => Route("audio-transcription", T1.Id, BT1.Id) with { Modality = Modality.Transcription };

    private static RouteConfig Speech() => Route("text-to-speech", S1.Id, BS1.Id) with { Modality = Modality.Speech };

    private static TranscriptionInput Audio(int bytes, decimal? duration, int channels = 1) => new()
    {
        Audio = new byte[bytes],
        ContentType = "audio/wav",
        FileName = "clip.wav",
        DurationSeconds = duration,
        Channels = channels,
    };
}
