using Xunit;

namespace Helix.Core.Tests.Pricing.Import;

/// <summary>Finds the shared reference data kept beside the repository (../shared/reference).</summary>
internal static class ReferenceData
{
    /// <summary>The path of the LiteLLM price map snapshot, or <see langword="null"/> when it is not there.</summary>
    public static string? LiteLlmPriceMapPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Helix.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "reference", "litellm_model_prices.json"));
                return File.Exists(path) ? path : null;
            }
        }

        return null;
    }

    /// <summary>The snapshot's text; skips the test when the snapshot is absent.</summary>
    public static string LiteLlmPriceMapOrSkip()
    {
        var path = LiteLlmPriceMapPath();
        Assert.SkipWhen(path is null, "The LiteLLM price map snapshot (../shared/reference/litellm_model_prices.json) is not present.");
        return File.ReadAllText(path!);
    }
}
