using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane.Audio;

public sealed class EmbeddingsRequestReaderTests
{
    private static readonly GatewayOptions s_options = new() { MaxRequestBodyBytes = 65536 };

    [Theory]
    [InlineData("\"hello\"", 1)]
    [InlineData("[\"a\",\"b\",\"c\"]", 3)]
    [InlineData("[1,2,3]", 1)]
    [InlineData("[[1,2],[3]]", 2)]
    public async Task ReadAsync_EveryInputShape_IsValid(string input, int count)
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var body = $$$"""{"model":"op:embeddings","input":{{{input}}},"dimensions":256,"encoding_format":"base64","user":"ann","extra":{"kept":true}}""";

        var read = await EmbeddingsRequestReader.ReadAsync(DataPlaneRequests.Json(body), routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(read.IsValid, read.Error?.Message);
        Assert.Equal(count, read.Value.InputCount);
        Assert.Equal("ann", read.Value.Request.User);
        Assert.True(read.Value.Body["extra"]?["kept"]?.GetValue<bool>());
    }

    public static TheoryData<string, int, string, string?> BadBodies => new()
    {
        { """{"input":"hi"}""", 400, "invalid_request", "model" },
        { """{"model":"op:chat","input":"hi"}""", 400, "operation_modality_mismatch", "model" },
        { """{"model":"op:text-to-speech","input":"hi"}""", 400, "operation_modality_mismatch", "model" },
        { """{"model":"op:nope","input":"hi"}""", 404, "unknown_operation", "model" },
        { """{"model":"op:embeddings"}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":""}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":[]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":["a",""]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":["a",1]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":["a",[1]]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":[[1],[]]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":[1,-2]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":[1.5]}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":{"text":"a"}}""", 400, "invalid_request", "input" },
        { """{"model":"op:embeddings","input":"a","dimensions":0}""", 400, "invalid_request", "dimensions" },
        { """{"model":"op:embeddings","input":"a","dimensions":1.5}""", 400, "invalid_request", "dimensions" },
        { """{"model":"op:embeddings","input":"a","dimensions":"256"}""", 400, "invalid_request", "dimensions" },
        { """{"model":"op:embeddings","input":"a","encoding_format":"int8"}""", 400, "invalid_request", "encoding_format" },
        { """{"model":"op:embeddings","input":"a","user":["x"]}""", 400, "invalid_request", "user" },
        { """[]""", 400, "invalid_request", null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ReadAsync_BadBody_IsRefusedNamingTheField(string body, int status, string code, string? param)
    {
        var routes = await DataPlaneRequests.RoutesAsync();

        var read = await EmbeddingsRequestReader.ReadAsync(DataPlaneRequests.Json(body), routes, s_options, TestContext.Current.CancellationToken);

        Assert.False(read.IsValid);
        Assert.Equal(status, read.Error.StatusCode);
        Assert.Equal(code, read.Error.Code);
        Assert.Equal(param, read.Param);
    }

    [Fact]
    public async Task ReadAsync_MoreThan2048Inputs_IsRefused()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var inputs = string.Join(",", Enumerable.Repeat("\"a\"", 2049));

        var read = await EmbeddingsRequestReader.ReadAsync(DataPlaneRequests.Json($$"""{"model":"op:embeddings","input":[{{inputs}}]}"""), routes, s_options, TestContext.Current.CancellationToken);

        Assert.Equal("input", read.Param);
        Assert.Contains("2048", read.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BodyOverTheLimit_Is413()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var body = $$"""{"model":"op:embeddings","input":"{{new string('x', 70_000)}}"}""";

        var read = await EmbeddingsRequestReader.ReadAsync(DataPlaneRequests.Json(body), routes, s_options, TestContext.Current.CancellationToken);

        Assert.Equal(413, read.Error?.StatusCode);
    }
}
