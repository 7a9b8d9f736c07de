using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Helix.Testing;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>
/// Bad input to the embeddings, transcription and speech endpoints gets a 4xx in the OpenAI error shape naming the
/// field, reaches no provider and is not logged as a call.
/// </summary>
public sealed class NewEndpointsBadInputTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public NewEndpointsBadInputTests(GatewayFactory factory) => _factory = factory;

    public static TheoryData<string, string, HttpStatusCode, string, string?> JsonCases => new()
    {
        { "/v1/audio/speech", """{"model":"op:text-to-speech","input":"Hi","voice":"darth-vader"}""", HttpStatusCode.BadRequest, "unknown_voice", "voice" },
        { "/v1/audio/speech", $$"""{"model":"op:text-to-speech","input":"{{new string('a', 4097)}}","voice":"alloy"}""", HttpStatusCode.BadRequest, "input_too_long", "input" },
        { "/v1/audio/speech", """{"model":"op:text-to-speech","input":"","voice":"alloy"}""", HttpStatusCode.BadRequest, "invalid_request", "input" },
        { "/v1/audio/speech", """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","speed":9}""", HttpStatusCode.BadRequest, "invalid_request", "speed" },
        { "/v1/audio/speech", """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","response_format":"ogg"}""", HttpStatusCode.BadRequest, "invalid_request", "response_format" },
        { "/v1/audio/speech", """{"model":"op:chat","input":"Hi","voice":"alloy"}""", HttpStatusCode.BadRequest, "operation_modality_mismatch", "model" },
        { "/v1/audio/speech", """{"model":"op:no-such-operation","input":"Hi","voice":"alloy"}""", HttpStatusCode.NotFound, "unknown_operation", "model" },
        { "/v1/embeddings", """{"model":"op:chat","input":"hi"}""", HttpStatusCode.BadRequest, "operation_modality_mismatch", "model" },
        { "/v1/embeddings", """{"model":"op:audio-transcription","input":"hi"}""", HttpStatusCode.BadRequest, "operation_modality_mismatch", "model" },
        { "/v1/embeddings", """{"model":"op:embeddings","input":[]}""", HttpStatusCode.BadRequest, "invalid_request", "input" },
        { "/v1/embeddings", """{"model":"op:embeddings","input":"hi","encoding_format":"int8"}""", HttpStatusCode.BadRequest, "invalid_request", "encoding_format" },
        { "/v1/embeddings", """{"model":"op:embeddings","input":"hi","dimensions":-1}""", HttpStatusCode.BadRequest, "invalid_request", "dimensions" },
        { "/v1/embeddings", "{not json", HttpStatusCode.BadRequest, "invalid_request", null },
        { "/v1/chat/completions", """{"model":"op:text-to-speech","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest, "operation_modality_mismatch", null },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task JsonEndpoint_BadInput_AnswersOpenAIErrorAndChargesNothing(string path, string body, HttpStatusCode status, string code, string? param)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        await AssertRefusedAsync(path, content, status, code, param);
    }

    public static TheoryData<string, HttpStatusCode, string, string?> FormCases => new()
    {
        { "empty", HttpStatusCode.BadRequest, "invalid_request", "file" },
        { "not-audio", HttpStatusCode.BadRequest, "unsupported_audio_format", "file" },
        { "mislabelled-type", HttpStatusCode.BadRequest, "audio_format_mismatch", "file" },
        { "mislabelled-name", HttpStatusCode.BadRequest, "audio_format_mismatch", "file" },
        { "oversized", HttpStatusCode.RequestEntityTooLarge, "invalid_request", "file" },
        { "speech-operation", HttpStatusCode.BadRequest, "operation_modality_mismatch", "model" },
        { "embeddings-operation", HttpStatusCode.BadRequest, "operation_modality_mismatch", "model" },
        { "format", HttpStatusCode.BadRequest, "invalid_request", "response_format" },
    };

    [Theory]
    [MemberData(nameof(FormCases))]
    public async Task Transcriptions_BadForm_AnswersOpenAIErrorAndChargesNothing(string @case, HttpStatusCode status, string code, string? param)
    {
        var wav = TestAudio.Wav(8000, sampleRate: 8000, bitsPerSample: 8);
        var (file, fileName, contentType, operation, format) = @case switch
        {
            "empty" => (Array.Empty<byte>(), "a.wav", "audio/wav", "audio-transcription", "json"),
            "not-audio" => ("%PDF-1.7"u8.ToArray(), "a.pdf", "application/pdf", "audio-transcription", "json"),
            "mislabelled-type" => (wav, "a.wav", "audio/mpeg", "audio-transcription", "json"),
            "mislabelled-name" => (wav, "a.m4a", "application/octet-stream", "audio-transcription", "json"),
            "oversized" => (TestAudio.Wav(80_000, sampleRate: 8000, bitsPerSample: 8), "a.wav", "audio/wav", "audio-transcription", "json"),
            "speech-operation" => (wav, "a.wav", "audio/wav", "text-to-speech", "json"),
            "embeddings-operation" => (wav, "a.wav", "audio/wav", "embeddings", "json"),
            _ => (wav, "a.wav", "audio/wav", "audio-transcription", "xml"),
        };
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(part, "file", fileName);
        form.Add(new StringContent($"op:{operation}"), "model");
        form.Add(new StringContent(format), "response_format");

        await AssertRefusedAsync("/v1/audio/transcriptions", form, status, code, param);
    }

    private async Task AssertRefusedAsync(string path, HttpContent content, HttpStatusCode status, string code, string? param)
    {
        var http = _factory.CreateClient();
        var admin = _factory.CreateAdminClient();
        var before = (await Json.LogsAsync(admin)).Length;
        var ledgerBefore = _factory.Simulator.Ledger.Count;

        using var response = await http.PostAsync(path, content, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.TryGetProperty("param", out var named) ? named.GetString() : null);
        Assert.Equal(before, (await Json.LogsAsync(admin)).Length);
        Assert.Equal(ledgerBefore, _factory.Simulator.Ledger.Count);
    }
}
