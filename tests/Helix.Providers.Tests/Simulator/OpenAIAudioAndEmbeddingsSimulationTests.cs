using System.Net;
using System.Net.Http.Headers;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class OpenAIAudioAndEmbeddingsSimulationTests : SimulatorTestBase
{
    [Fact]
    public async Task Embeddings_ArrayOfStrings_ReturnsUnitVectorsAndPromptUsage()
    {
        using var response = await PostJsonAsync("openai/v1/embeddings", """{"model":"text-embedding-3-small","input":["12345678","1234"]}""");

        var body = await ReadJsonAsync(response);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        var vector = data[1].GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(1536, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 3);
        Assert.Equal(3, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(3, entry.PromptTokens);
        Assert.Equal(0, entry.CompletionTokens);
    }

    [Fact]
    public async Task Embeddings_Base64WithDimensions_EncodesFloat32LittleEndian()
    {
        using var response = await PostJsonAsync("openai/v1/embeddings", """{"model":"text-embedding-3-large","input":"same","dimensions":256,"encoding_format":"base64"}""");
        using var again = await PostJsonAsync("openai/v1/embeddings", """{"model":"text-embedding-3-large","input":"same","dimensions":256,"encoding_format":"base64"}""");

        var encoded = (await ReadJsonAsync(response)).GetProperty("data")[0].GetProperty("embedding").GetString()!;
        Assert.Equal(256 * sizeof(float), Convert.FromBase64String(encoded).Length);
        Assert.Equal(encoded, (await ReadJsonAsync(again)).GetProperty("data")[0].GetProperty("embedding").GetString());
    }

    [Fact]
    public async Task Transcriptions_Whisper_ReportsDurationUsageInWholeSeconds()
    {
        using var form = Form(TestAudio.Wav(2.5), "whisper-1");

        using var response = await Http.PostAsync("openai/v1/audio/transcriptions", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(24, body.GetProperty("text").GetString()!.Split(' ').Length);
        var usage = body.GetProperty("usage");
        Assert.Equal("duration", usage.GetProperty("type").GetString());
        Assert.Equal(3, usage.GetProperty("seconds").GetInt32());
        Assert.Equal(3.0, Assert.Single(State.Ledger).AudioSeconds);
    }

    [Fact]
    public async Task Transcriptions_RawPcmWithoutHeader_AssumesSixteenKilohertzSixteenBitMono()
    {
        using var form = Form(new byte[32_000 * 4], "whisper-1");

        using var response = await Http.PostAsync("openai/v1/audio/transcriptions", form, Ct);

        Assert.Equal(4, (await ReadJsonAsync(response)).GetProperty("usage").GetProperty("seconds").GetInt32());
    }

    [Fact]
    public async Task Transcriptions_Gpt4oTranscribe_ReportsTokenUsage()
    {
        State.SetBehavior(null, "gpt-4o-transcribe", new SimulatorBehavior { CompletionTokens = 30 });
        using var form = Form(TestAudio.Wav(6), "gpt-4o-transcribe");
        form.Add(new StringContent("12345678"), "prompt");

        using var response = await Http.PostAsync("openai/v1/audio/transcriptions", form, Ct);

        var usage = (await ReadJsonAsync(response)).GetProperty("usage");
        Assert.Equal("tokens", usage.GetProperty("type").GetString());
        Assert.Equal(62, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("input_token_details").GetProperty("text_tokens").GetInt32());
        Assert.Equal(60, usage.GetProperty("input_token_details").GetProperty("audio_tokens").GetInt32());
        Assert.Equal(30, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(92, usage.GetProperty("total_tokens").GetInt32());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal((62, 30, 6.0), (entry.PromptTokens, entry.CompletionTokens, entry.AudioSeconds));
    }

    [Fact]
    public async Task Transcriptions_TextFormat_ReturnsPlainText()
    {
        using var form = Form(TestAudio.Wav(1), "whisper-1");
        form.Add(new StringContent("text"), "response_format");

        using var response = await Http.PostAsync("openai/v1/audio/transcriptions", form, Ct);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Thanks everyone for", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speech_Mp3_ReturnsAudioBytesAndBillsCharacters()
    {
        var input = new string('a', 1234);

        using var response = await PostJsonAsync("openai/v1/audio/speech", $$"""{"model":"tts-1","voice":"alloy","input":"{{input}}"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        var audio = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(0xFF, audio[0]);
        Assert.Equal(0xFB, audio[1]);
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(1234, entry.Characters);
        Assert.Equal("tts-1", entry.Model);
    }

    [Fact]
    public async Task Speech_Wav_ReturnsRiffHeader()
    {
        using var response = await PostJsonAsync("openai/v1/audio/speech", """{"model":"gpt-4o-mini-tts","voice":"alloy","input":"Hello there","response_format":"wav"}""");

        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        var audio = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("RIFF"u8.ToArray(), audio[..4]);
        Assert.Equal(3, Assert.Single(State.Ledger).PromptTokens);
    }

    [Fact]
    public async Task Speech_MissingVoice_Answers400()
    {
        using var response = await PostJsonAsync("openai/v1/audio/speech", """{"model":"tts-1","input":"Hello"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(State.Ledger);
    }

    private static MultipartFormDataContent Form(byte[] audio, string model)
    {
        var file = new ByteArrayContent(audio);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return new MultipartFormDataContent
        {
            { file, "file", "audio.wav" },
            { new StringContent(model), "model" },
        };
    }
}
