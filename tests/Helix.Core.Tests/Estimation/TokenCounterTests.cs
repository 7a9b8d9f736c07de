using Helix.Core.Estimation;
using Xunit;

namespace Helix.Core.Tests.Estimation;

public sealed class TokenCounterTests
{
    [Fact]
    public void Count_ShortEnglish_CountsO200kTokens()
    {
        Assert.Equal(2, TokenCounter.Count("hello world"));
    }

    [Fact]
    public void Count_LongerText_CountsMoreTokens()
    {
        Assert.True(TokenCounter.Count("The quarterly report shows revenue grew by twelve percent.") > TokenCounter.Count("hello world"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Count_NullOrEmpty_IsZero(string? text)
    {
        Assert.Equal(0, TokenCounter.Count(text));
        Assert.Equal(0, TokenCounter.Count(text.AsSpan()));
    }

    [Fact]
    public void Count_Span_MatchesString()
    {
        const string Text = "op:memory-synthesis of yesterday's notes";

        Assert.Equal(TokenCounter.Count(Text), TokenCounter.Count(Text.AsSpan()));
        Assert.Equal(TokenCounter.Count("memory"), TokenCounter.Count(Text.AsSpan(3, 6)));
    }
}
