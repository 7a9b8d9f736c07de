using Helix.Core.Pipeline;
using Xunit;

namespace Helix.Core.Tests.Pipeline;

public sealed class ResultTests
{
    [Fact]
    public void ImplicitValue_IsSuccessWithValue()
    {
        Result<string> result = "ok";

        Assert.True(result.IsSuccess);
        Assert.Equal("ok", result.Value);
        Assert.Null(result.Error);
    }

    [Fact]
    public void ImplicitError_IsFailureWithError()
    {
        var error = GatewayError.Conflict("changed");

        Result<string> result = error;

        Assert.False(result.IsSuccess);
        Assert.Same(error, result.Error);
        Assert.Null(result.Value);
    }

    [Fact]
    public void ImplicitNullError_Throws()
    {
        Assert.Throws<ArgumentNullException>(() =>
        {
            Result<string> result = (GatewayError)null!;
            return result;
        });
    }
}
