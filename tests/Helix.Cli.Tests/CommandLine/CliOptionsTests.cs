using System.CommandLine;
using System.Globalization;
using Helix.Cli.CommandLine;
using Xunit;

namespace Helix.Cli.Tests.CommandLine;

public sealed class CliOptionsTests
{
    private static readonly Option<DateTimeOffset?> s_at = CliOptions.Instant("--at", "time");
    private static readonly Option<decimal?> s_tolerance = CliOptions.Decimal("--tolerance", "T", "tolerance");
    private static readonly Option<string?> s_provider = CliOptions.Text("--provider", "P", "provider", required: true);
    private static readonly Option<bool> s_json = CliOptions.Json();

    private static ParseResult Parse(params string[] args)
    {
        var command = new RootCommand { s_at, s_tolerance, s_provider, s_json };
        return command.Parse(args);
    }

    [Theory]
    [InlineData("2025-03-01T17:00:00Z", "2025-03-01T17:00:00+00:00")]
    [InlineData("2025-03-01T17:00:00", "2025-03-01T17:00:00+00:00")]
    [InlineData("2025-03-01T18:00:00+01:00", "2025-03-01T17:00:00+00:00")]
    [InlineData("2025-03-01T17:00Z", "2025-03-01T17:00:00+00:00")]
    [InlineData("2025-03-01T17:00:00.250Z", "2025-03-01T17:00:00.25+00:00")]
    [InlineData("2025-03-01", "2025-03-01T00:00:00+00:00")]
    public void Instant_Iso8601_IsReadAsUtc(string text, string expected)
    {
        var parsed = Parse("--provider", "p", "--at", text);

        Assert.Empty(parsed.Errors);
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), parsed.GetValue(s_at));
        Assert.Equal(TimeSpan.Zero, parsed.GetValue(s_at)!.Value.Offset);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("03/01/2025")]
    [InlineData("2025-13-01")]
    public void Instant_NotIso8601_IsAParseErrorNamingTheOption(string text)
    {
        var parsed = Parse("--provider", "p", "--at", text);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal($"--at needs an ISO-8601 time such as 2025-03-01T17:00:00Z, not '{text}'.", error.Message);
    }

    [Fact]
    public void Decimal_Number_IsExact()
    {
        var parsed = Parse("--provider", "p", "--tolerance=0.005");

        Assert.Empty(parsed.Errors);
        Assert.Equal(0.005m, parsed.GetValue(s_tolerance));
    }

    [Fact]
    public void Decimal_NotANumber_IsAParseError()
    {
        var parsed = Parse("--provider", "p", "--tolerance", "1%");

        Assert.Equal("--tolerance needs a number such as 0.01, not '1%'.", Assert.Single(parsed.Errors).Message);
    }

    [Fact]
    public void Absent_Options_AreNullOrFalse()
    {
        var parsed = Parse("--provider", "openai");

        Assert.Empty(parsed.Errors);
        Assert.Equal("openai", parsed.GetValue(s_provider));
        Assert.Null(parsed.GetValue(s_at));
        Assert.Null(parsed.GetValue(s_tolerance));
        Assert.False(parsed.GetValue(s_json));
    }

    [Fact]
    public void Required_Missing_IsAParseErrorNamingTheOption()
    {
        var parsed = Parse("--json");

        Assert.Contains("'--provider'", Assert.Single(parsed.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_SingleValueOption_IsAParseError()
    {
        var parsed = Parse("--provider", "a", "--provider", "b");

        Assert.NotEmpty(parsed.Errors);
    }
}
