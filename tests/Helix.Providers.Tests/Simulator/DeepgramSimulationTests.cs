using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class DeepgramSimulationTests : SimulatorTestBase
{
    [Fact]
    public async Task Listen_RawAudio_DerivesDurationFromSixteenKilohertzMonoPcm()
    {
        var audio = new byte[32_000 * 5];

        using var response = await PostAudioAsync("deepgram/v1/listen?model=nova-3", audio, "audio/raw");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var metadata = body.GetProperty("metadata");
        Assert.Equal(5.0, metadata.GetProperty("duration").GetDouble());
        Assert.Equal(1, metadata.GetProperty("channels").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(audio)), metadata.GetProperty("sha256").GetString());
        var modelId = metadata.GetProperty("models")[0].GetString()!;
        Assert.Equal("nova-3", metadata.GetProperty("model_info").GetProperty(modelId).GetProperty("arch").GetString());
        var requestId = metadata.GetProperty("request_id").GetString();
        Assert.True(Guid.TryParse(requestId, out _));
        var alternative = body.GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0];
        Assert.Equal(24, alternative.GetProperty("words").GetArrayLength());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(("deepgram", "nova-3", requestId, 5.0), (entry.Provider, entry.Model, entry.RequestId, entry.AudioSeconds));
    }

    [Fact]
    public async Task Listen_Transcript_ReadsAsEnglishSentencesMadeOfItsWords()
    {
        using var response = await PostAudioAsync("deepgram/v1/listen?model=nova-3", new byte[32_000 * 5], "audio/raw");

        var alternative = (await ReadJsonAsync(response)).GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0];
        var transcript = alternative.GetProperty("transcript").GetString()!;
        var words = alternative.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()!).ToArray();
        Assert.StartsWith("Thanks everyone for joining the call today. Let's start with", transcript, StringComparison.Ordinal);
        Assert.EndsWith(".", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("lorem", transcript, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(words, transcript.Split(' ').Select(w => w.TrimEnd('.').ToLowerInvariant()));
    }

    [Fact]
    public async Task Listen_MultichannelWav_BillsEveryChannel()
    {
        using var response = await PostAudioAsync("deepgram/v1/listen?model=nova-3&multichannel=true", TestAudio.Wav(3, sampleRate: 8_000, channels: 2), "audio/wav");

        var body = await ReadJsonAsync(response);
        Assert.Equal(3.0, body.GetProperty("metadata").GetProperty("duration").GetDouble());
        Assert.Equal(2, body.GetProperty("metadata").GetProperty("channels").GetInt32());
        Assert.Equal(2, body.GetProperty("results").GetProperty("channels").GetArrayLength());
        Assert.Equal(6.0, Assert.Single(State.Ledger).AudioSeconds);
    }

    [Fact]
    public async Task Listen_EncodingParameters_UseDeclaredSampleRate()
    {
        using var response = await PostAudioAsync("deepgram/v1/listen?model=nova-2&encoding=linear16&sample_rate=8000", new byte[16_000 * 2], "audio/raw");

        Assert.Equal(2.0, (await ReadJsonAsync(response)).GetProperty("metadata").GetProperty("duration").GetDouble());
    }

    [Theory]
    [InlineData(SimulatorFault.Unauthorized, 401, "INVALID_AUTH")]
    [InlineData(SimulatorFault.InsufficientQuota, 402, "ASR_PAYMENT_REQUIRED")]
    [InlineData(SimulatorFault.RateLimited, 429, "TOO_MANY_REQUESTS")]
    public async Task Listen_ErrorFault_AnswersDeepgramErrorShape(SimulatorFault fault, int status, string code)
    {
        State.SetBehavior(SimulatorProviders.Deepgram, null, new SimulatorBehavior { Fault = fault });

        using var response = await PostAudioAsync("deepgram/v1/listen?model=nova-3", new byte[3_200], "audio/raw");

        Assert.Equal(status, (int)response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(code, body.GetProperty("err_code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("err_msg").GetString()));
        Assert.True(Guid.TryParse(body.GetProperty("request_id").GetString(), out _));
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task Listen_EmptyBody_Answers400BadRequest()
    {
        using var response = await PostAudioAsync("deepgram/v1/listen", [], "audio/raw");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bad Request", (await ReadJsonAsync(response)).GetProperty("err_code").GetString());
    }

    [Fact]
    public async Task Listen_UrlBodyWithConfiguredDuration_UsesBehaviourSeconds()
    {
        State.Default = new SimulatorBehavior { AudioSeconds = 125.5 };

        using var response = await PostJsonAsync("deepgram/v1/listen?model=nova-3", """{"url":"https://example.com/a.wav"}""");

        Assert.Equal(125.5, (await ReadJsonAsync(response)).GetProperty("metadata").GetProperty("duration").GetDouble());
    }

    private Task<HttpResponseMessage> PostAudioAsync(string path, byte[] audio, string contentType)
    {
        var content = new ByteArrayContent(audio);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", "any-key");
        return Http.SendAsync(request, Ct);
    }
}
