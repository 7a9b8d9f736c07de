using Helix.Core.Resilience;
using Xunit;

namespace Helix.Core.Tests.Resilience;

public sealed class ValidateResilienceOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new ValidateResilienceOptions().Validate(null, new ResilienceOptions()).Succeeded);
    }

    [Fact]
    public void Validate_SeveralBadValues_NamesEveryKeyToFix()
    {
        var options = new ResilienceOptions
        {
            FirstByteTimeout = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromMinutes(5),
            MaxRetriesPerModel = -1,
            CircuitFailureThreshold = 0,
        };

        var result = new ValidateResilienceOptions().Validate(null, options);

        Assert.True(result.Failed);
        var failures = string.Join("\n", result.Failures!);
        Assert.Contains("Helix:Resilience:FirstByteTimeout", failures, StringComparison.Ordinal);
        Assert.Contains("Helix:Resilience:AttemptTimeout below OverallDeadline", failures, StringComparison.Ordinal);
        Assert.Contains("Helix:Resilience:MaxRetriesPerModel", failures, StringComparison.Ordinal);
        Assert.Contains("Helix:Resilience:CircuitFailureThreshold", failures, StringComparison.Ordinal);
    }
}
