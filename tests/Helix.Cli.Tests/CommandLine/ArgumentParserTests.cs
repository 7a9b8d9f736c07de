using Helix.Cli.CommandLine;
using Xunit;

namespace Helix.Cli.Tests.CommandLine;

public sealed class ArgumentParserTests
{
    private static readonly OptionSpec[] s_options =
    [
        new("provider", "P", "provider", Required: true),
        new("model", "M", "model"),
        new("at", "ISO-8601", "time"),
        new("tolerance", "T", "tolerance"),
        new("json", null, "flag"),
    ];

    [Fact]
    public void Parse_ValuesFlagsAndPositionals_AreRead()
    {
        var parsed = ArgumentParser.Parse(["file.json", "--provider", "openai", "--model=gpt-4o", "--json"], s_options, ["FILE"], 1);

        Assert.Equal("openai", parsed.Value("provider"));
        Assert.Equal("gpt-4o", parsed.Value("model"));
        Assert.True(parsed.Has("json"));
        Assert.False(parsed.Has("at"));
        Assert.Null(parsed.Value("at"));
        Assert.Equal(["file.json"], parsed.Positionals);
        Assert.False(parsed.HelpRequested);
    }

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var parsed = ArgumentParser.Parse(["--provider", "openai", "--", "--json"], s_options, ["FILE"], 1);

        Assert.Equal(["--json"], parsed.Positionals);
        Assert.False(parsed.Has("json"));
    }

    [Fact]
    public void Parse_ValueStartingWithDash_IsAValue()
    {
        var parsed = ArgumentParser.Parse(["--provider", "openai", "--model", "-odd-"], s_options);

        Assert.Equal("-odd-", parsed.Value("model"));
    }

    [Theory]
    [InlineData(new[] { "--provider", "openai", "--modle", "x" }, "Unknown option '--modle'. Did you mean --model?")]
    [InlineData(new[] { "--provider", "openai", "--colour" }, "Unknown option '--colour'.")]
    [InlineData(new[] { "--provider", "openai", "-m", "x" }, "Unknown option '-m'; options are written --name.")]
    [InlineData(new[] { "--provider" }, "--provider needs a value: --provider P.")]
    [InlineData(new[] { "--provider", "--json" }, "--provider needs a value: --provider P.")]
    [InlineData(new[] { "--provider=" }, "--provider needs a value: --provider P.")]
    [InlineData(new[] { "--provider", "a", "--provider", "b" }, "--provider is given more than once.")]
    [InlineData(new[] { "--provider", "a", "--json=yes" }, "--json is a flag and takes no value.")]
    [InlineData(new[] { "--model", "gpt-4o" }, "Missing --provider P.")]
    [InlineData(new[] { "--provider", "a", "extra" }, "Unexpected argument 'extra'; this command takes options only.")]
    public void Parse_BadArguments_ThrowWithTheFix(string[] args, string message)
    {
        var ex = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args, s_options));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Parse_MissingPositional_NamesIt()
    {
        var ex = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["--provider", "a"], s_options, ["FILE"], 1));

        Assert.Equal("Missing FILE.", ex.Message);
    }

    [Fact]
    public void Parse_TooManyPositionals_NamesWhatIsExpected()
    {
        var ex = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["a", "b", "--provider", "p"], s_options, ["FILE"], 1));

        Assert.Equal("Unexpected argument 'b'; expected FILE.", ex.Message);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_SkipsRequiredChecks(string help)
    {
        var parsed = ArgumentParser.Parse([help], s_options, ["FILE"], 1);

        Assert.True(parsed.HelpRequested);
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
        var parsed = ArgumentParser.Parse(["--provider", "p", "--at", text], s_options);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Instant("at"));
        Assert.Equal(TimeSpan.Zero, parsed.Instant("at")!.Value.Offset);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("03/01/2025")]
    [InlineData("2025-13-01")]
    public void Instant_NotIso8601_Throws(string text)
    {
        var parsed = ArgumentParser.Parse(["--provider", "p", "--at", text], s_options);

        var ex = Assert.Throws<UsageException>(() => parsed.Instant("at"));
        Assert.Contains("ISO-8601", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decimal_NotANumber_Throws()
    {
        var parsed = ArgumentParser.Parse(["--provider", "p", "--tolerance", "1%"], s_options);

        Assert.Equal("--tolerance needs a number such as 0.01, not '1%'.", Assert.Throws<UsageException>(() => parsed.Decimal("tolerance")).Message);
    }

    [Fact]
    public void Decimal_Number_IsExact()
    {
        var parsed = ArgumentParser.Parse(["--provider", "p", "--tolerance", "0.005"], s_options);

        Assert.Equal(0.005m, parsed.Decimal("tolerance"));
    }
}
