namespace Helix.Core.Pricing.Import;

/// <summary>One rate of a model before and after an import.</summary>
/// <param name="Field">
/// The rate's name as in the price book JSON: <c>input</c>, <c>cacheRead</c>, …; <c>longContext.threshold</c> and
/// <c>longContext.&lt;rate&gt;</c> for the long-context tier; <c>serviceTiers.&lt;tier&gt;.&lt;rate&gt;</c> for the effective rate of
/// a service tier (its replacement rate times its multiplier).
/// </param>
/// <param name="Before">The rate in force, or <see langword="null"/> when none.</param>
/// <param name="After">The imported rate, or <see langword="null"/> when the import lists none.</param>
public sealed record RateChange(string Field, decimal? Before, decimal? After);
