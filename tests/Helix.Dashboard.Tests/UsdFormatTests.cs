using Helix.Dashboard.Components.Controls;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>The dashboard's one money formatter: the sign before the dollar, never rounded below a millionth.</summary>
public sealed class UsdFormatTests
{
    [Theory]
    [InlineData("-0.01", "-$0.01")]
    [InlineData("-1234.5", "-$1,234.50")]
    [InlineData("-0.0000015", "-$0.0000015")]
    [InlineData("0.01", "$0.01")]
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("0.0000015", "$0.0000015")]
    [InlineData("0", "$0.00")]
    public void Format_PutsTheSignBeforeTheDollar(string value, string expected) =>
        Assert.Equal(expected, Usd.Format(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Format_NoValue_IsADash() => Assert.Equal("—", Usd.Format(null));
}
