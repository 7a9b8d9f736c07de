using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.Calls.Transcription;
using Helix.Simulator;
using Helix.Testing;
using OpenAI;
using OpenAI.Audio;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>
/// Issue 6's acceptance for the new endpoints: transcription, speech and embeddings through the official OpenAI .NET
/// SDK, from the simulator, priced from their meters (audio seconds, characters, input tokens) and in the log.
/// </summary>
public sealed class AudioAndEmbeddingsTests : IClassFixture<GatewayFactory>
{
    // 6 s of 8 kHz 8-bit mono: 48 kB, under the test host's 64 kB body limit.
    private static readonly byte[] s_sixSeconds = TestAudio.Wav(6 * 8000, sampleRate: 8000, bitsPerSample: 8);

    private readonly GatewayFactory _factory;

    public AudioAndEmbeddingsTests(GatewayFactory factory)
    {
        _factory = factory;
        _factory.Simulator.Reset();
    }

    private static OpenAIClient Sdk(GatewayFactory factory)
    {
        var http = factory.CreateClient();
        return new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
    }

    private static decimal Decimal(JsonElement row, string name) => decimal.Parse(row.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Transcription_OpenAISdk_WavOfKnownLength_IsPricedFromItsDuration()
    {
        var client = Sdk(_factory).GetAudioClient("op:audio-transcription");

        var result = await client.TranscribeAudioAsync(new MemoryStream(s_sixSeconds), "meeting.wav", new AudioTranscriptionOptions { Language = "en" }, TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(result.Value.Text));
        var row = await AssertPricedAndLoggedAsync(_factory, result.GetRawResponse(), "audio-transcription");
        Assert.Equal("deepgram/nova-3", row.GetProperty("model").GetString());
        Assert.Equal(6m, Decimal(row, "audioSeconds"));
        Assert.Equal(0.00043m, Decimal(row, "costUsd")); // nova-3: $0.0043 a minute, 6 s
    }

    [Fact]
    public async Task Transcription_OpenAISdkVerboseJson_HasSegmentsAndTheDuration()
    {
        var client = Sdk(_factory).GetAudioClient("op:audio-transcription");
        var options = new AudioTranscriptionOptions { ResponseFormat = AudioTranscriptionFormat.Verbose, TimestampGranularities = AudioTimestampGranularities.Segment };

        var result = await client.TranscribeAudioAsync(new MemoryStream(s_sixSeconds), "meeting.wav", options, TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromSeconds(6), result.Value.Duration);
        Assert.NotEmpty(result.Value.Segments);
        Assert.Equal(result.Value.Text.Trim(), string.Join(" ", result.Value.Segments.Select(s => s.Text.Trim())));
    }

    [Theory]
    [InlineData("srt", "1\n00:00:00,000 --> ")]
    [InlineData("vtt", "WEBVTT\n\n00:00:00.000 --> ")]
    public async Task Transcription_Subtitles_AreServedInTheirFormat(string format, string start)
    {
        using var response = await PostTranscriptionAsync(_factory, s_sixSeconds, ("response_format", format));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith(start, text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcription_MultichannelStereo_IsBilledPerChannel()
    {
        // 3 s of 8 kHz 8-bit stereo: Deepgram transcribes and bills each channel, 6 channel-seconds.
        var stereo = TestAudio.Wav(3 * 8000, sampleRate: 8000, channels: 2, bitsPerSample: 8);

        using var response = await PostTranscriptionAsync(_factory, stereo, ("multichannel", "true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal(6m, Decimal(row, "audioSeconds"));
        Assert.Equal(0.00043m, Decimal(row, "costUsd"));
        Assert.Equal(response.Headers.GetValues("X-Helix-Cost-Usd").Single(), row.GetProperty("costUsd").GetString());
    }

    [Fact]
    public async Task Transcription_DeepgramFailing503_FallsBackToOpenAI_BothAttemptsInTheLog()
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior("deepgram", "nova-3", new SimulatorBehavior { Fault = SimulatorFault.Overloaded });
        var client = Sdk(factory).GetAudioClient("op:audio-transcription");

        var result = await client.TranscribeAudioAsync(new MemoryStream(s_sixSeconds), "meeting.wav", cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(result.Value.Text));
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("X-Helix-Model", out var model));
        Assert.Equal("openai/gpt-4o-mini-transcribe", model);
        Assert.True(raw.Headers.TryGetValue("X-Helix-Request-Id", out var requestId));
        var rows = (await Json.LogsAsync(factory.CreateAdminClient())).Where(r => r.GetProperty("requestId").GetString() == requestId)
            .OrderBy(r => r.GetProperty("attempt").GetInt32()).ToArray();
        Assert.True(rows.Length >= 2, "the failed Deepgram attempt and the OpenAI one are both logged");
        Assert.All(rows[..^1], r =>
        {
            Assert.Equal("deepgram/nova-3", r.GetProperty("model").GetString());
            Assert.Equal("failed", r.GetProperty("status").GetString());
            Assert.Equal("0", r.GetProperty("costUsd").GetString());
        });
        var served = rows[^1];
        Assert.Equal("openai/gpt-4o-mini-transcribe", served.GetProperty("model").GetString());
        Assert.Equal("success", served.GetProperty("status").GetString());
        Assert.True(served.GetProperty("inputAudioTokens").GetInt64() > 0, "gpt-4o-mini-transcribe is billed by audio tokens");
        Assert.True(raw.Headers.TryGetValue("X-Helix-Cost-Usd", out var cost));
        Assert.Equal(cost, served.GetProperty("costUsd").GetString());
        Assert.True(Decimal(served, "costUsd") > 0m);
    }

    [Fact]
    public async Task Speech_OpenAISdkWav_IsPlayableAudioWhoseLengthIsTheMeteredSeconds()
    {
        const string Text = "Helix speaks through the same pipeline as everything else.";
        var client = Sdk(_factory).GetAudioClient("op:text-to-speech");

        var result = await client.GenerateSpeechAsync(Text, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav }, TestContext.Current.CancellationToken);

        var audio = AudioInspector.Inspect(result.Value.ToArray());
        Assert.Equal(AudioContainer.Wav, audio.Container);
        Assert.True(audio.DurationSeconds > 0m);
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("X-Helix-Request-Id", out var requestId));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Model", out var model));
        Assert.Equal("edge-tts/en-US-AriaNeural", model);
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal("success", row.GetProperty("status").GetString());
        Assert.Equal(Text.Length, row.GetProperty("characters").GetInt64());
        Assert.Equal(Math.Round(audio.DurationSeconds!.Value, 3), Decimal(row, "audioSeconds")); // metered to the millisecond
        Assert.Equal("0", row.GetProperty("costUsd").GetString()); // Edge TTS costs nothing; its meters are still logged
    }

    [Fact]
    public async Task Speech_Mp3_StreamsPlayableFramesAndTheCostTrailer()
    {
        var http = _factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/audio/speech", new { model = "op:text-to-speech", input = "An MP3, frame by frame.", voice = "nova" }, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        var audio = AudioInspector.Inspect(bytes);
        Assert.Equal(AudioContainer.Mp3, audio.Container);
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId);
        Assert.InRange(audio.DurationSeconds!.Value, Decimal(row, "audioSeconds") - 0.05m, Decimal(row, "audioSeconds") + 0.05m);
        Assert.True(response.TrailingHeaders.TryGetValues("X-Helix-Cost-Usd", out var trailer), "the cost rides in a trailer");
        Assert.Equal(row.GetProperty("costUsd").GetString(), trailer.Single());
    }

    [Fact]
    public async Task Speech_EdgeFailing_FallsBackToTts1_PricedPerCharacter()
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior("edge-tts", null, new SimulatorBehavior { Fault = SimulatorFault.ServerError });
        var client = Sdk(factory).GetAudioClient("op:text-to-speech");
        const string Text = "Thirty characters of speech!!";

        var result = await client.GenerateSpeechAsync(Text, GeneratedSpeechVoice.Echo, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Mp3 }, TestContext.Current.CancellationToken);

        Assert.Equal(AudioContainer.Mp3, AudioInspector.Detect(result.Value.ToArray()));
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("X-Helix-Request-Id", out var requestId));
        var rows = (await Json.LogsAsync(factory.CreateAdminClient())).Where(r => r.GetProperty("requestId").GetString() == requestId)
            .OrderBy(r => r.GetProperty("attempt").GetInt32()).ToArray();
        Assert.Equal("edge-tts/en-US-AriaNeural", rows[0].GetProperty("model").GetString());
        Assert.Equal("failed", rows[0].GetProperty("status").GetString());
        var served = rows[^1];
        Assert.True(served.TryGetProperty("costUsd", out _), served.ToString());
        Assert.Equal("openai/tts-1", served.GetProperty("model").GetString());
        Assert.Equal(Text.Length, served.GetProperty("characters").GetInt64());
        Assert.Equal(Text.Length * 15m / 1_000_000m, Decimal(served, "costUsd")); // tts-1: $15 per million characters
    }

    [Fact]
    public async Task Embeddings_OpenAISdk_AnswersVectorsPricedFromInputTokens()
    {
        var client = Sdk(_factory).GetEmbeddingClient("op:embeddings");

        var result = await client.GenerateEmbeddingsAsync(["The first text to embed.", "And a second one."], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.False(e.ToFloats().IsEmpty));
        var row = await AssertPricedAndLoggedAsync(_factory, result.GetRawResponse(), "embeddings");
        Assert.Equal("openai/text-embedding-3-small", row.GetProperty("model").GetString());
        var inputTokens = row.GetProperty("inputTokens").GetInt64();
        Assert.Equal(result.Value.Usage.InputTokenCount, inputTokens);
        Assert.Equal(inputTokens * 0.02m / 1_000_000m, Decimal(row, "costUsd")); // text-embedding-3-small: $0.02 per million
    }

    private static async Task<HttpResponseMessage> PostTranscriptionAsync(GatewayFactory factory, byte[] wav, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(wav);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse("audio/wav");
        form.Add(file, "file", "meeting.wav");
        form.Add(new StringContent("op:audio-transcription"), "model");
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return await factory.CreateClient().PostAsync("/v1/audio/transcriptions", form, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonElement> AssertPricedAndLoggedAsync(GatewayFactory factory, PipelineResponse raw, string operation)
    {
        Assert.True(raw.Headers.TryGetValue("X-Helix-Cost-Usd", out var cost), "X-Helix-Cost-Usd is set");
        Assert.True(raw.Headers.TryGetValue("X-Helix-Request-Id", out var requestId));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Operation", out var headerOperation));
        Assert.True(raw.Headers.TryGetValue("X-Helix-Model", out var model));
        Assert.Equal(operation, headerOperation);
        var usd = decimal.Parse(cost!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        Assert.True(usd > 0m && usd < 1m, $"a cost in dollars, not micro-dollars or cents: {cost}");
        var row = Assert.Single(await Json.LogsAsync(factory.CreateAdminClient()), r => r.GetProperty("requestId").GetString() == requestId && r.GetProperty("status").GetString() == "success");
        Assert.Equal(operation, row.GetProperty("operation").GetString());
        Assert.Equal(model, row.GetProperty("model").GetString());
        Assert.Equal(cost, row.GetProperty("costUsd").GetString());
        Assert.Equal("priced", row.GetProperty("costStatus").GetString());
        return row;
    }
}
