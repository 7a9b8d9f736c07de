using System.Globalization;

namespace Helix.Cli.Output;

/// <summary>How amounts of money are written: never rounded to the cent, at least nine decimal places.</summary>
internal static class Usd
{
    private const string ExactFormat = "0.000000000########";

    /// <summary>An amount with at least 9 and up to 17 decimal places (<c>0.000002400</c>).</summary>
    public static string Exact(decimal value) => value.ToString(ExactFormat, CultureInfo.InvariantCulture);

    /// <summary>A rate or amount as short as it is exact (<c>2.5</c>, <c>0.0028</c>).</summary>
    public static string Plain(decimal value) =>
        (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
