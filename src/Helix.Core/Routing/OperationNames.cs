using System.Text.RegularExpressions;

namespace Helix.Core.Routing;

/// <summary>The rule operation names follow: lowercase letters, digits and single dashes, 1 to 64 characters.</summary>
/// <remarks>
/// Names travel in <c>model: "op:&lt;name&gt;"</c>, headers, URLs and log rows; the rule keeps them safe in all four
/// and unambiguous (operations compare case-insensitively, so only one spelling is allowed).
/// </remarks>
public static partial class OperationNames
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 64;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "lowercase letters, digits and dashes (not leading, trailing or doubled), at most 64 characters";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
