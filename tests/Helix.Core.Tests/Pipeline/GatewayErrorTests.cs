using Helix.Core.Pipeline;
using Xunit;

namespace Helix.Core.Tests.Pipeline;

public sealed class GatewayErrorTests
{
    public static TheoryData<GatewayError, string, int, string> Errors => new()
    {
        { GatewayError.InvalidRequest("bad"), "invalid_request", 400, "invalid_request_error" },
        { GatewayError.InvalidRequest("bad", "unknown_model"), "unknown_model", 400, "invalid_request_error" },
        { GatewayError.UnknownOperation("x"), "unknown_operation", 404, "invalid_request_error" },
        { GatewayError.OperationDisabled("x"), "operation_disabled", 403, "invalid_request_error" },
        { GatewayError.UpstreamUnavailable("down"), "upstream_unavailable", 502, "server_error" },
        { GatewayError.PriceUnknown("no price"), "price_unknown", 503, "server_error" },
        { GatewayError.Unauthorized(), "unauthorized", 401, "authentication_error" },
        { GatewayError.Forbidden("agents cannot approve"), "forbidden", 403, "permission_error" },
        { GatewayError.Conflict("changed"), "conflict", 409, "invalid_request_error" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Factory_Error_HasStableCodeStatusAndType(GatewayError error, string code, int status, string type)
    {
        Assert.Equal((code, status, type), (error.Code, error.StatusCode, error.Type));
    }

    [Fact]
    public void UnknownOperation_Message_NamesOperationAndHowToNameOne()
    {
        var error = GatewayError.UnknownOperation("translate");

        Assert.Contains("'translate'", error.Message, StringComparison.Ordinal);
        Assert.Contains("op:<operation>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpstreamUnavailable_RetryAfter_IsKept()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), GatewayError.UpstreamUnavailable("down", TimeSpan.FromSeconds(7)).RetryAfter);
        Assert.Equal("A valid API key is required.", GatewayError.Unauthorized().Message);
    }
}
