using System.Text.RegularExpressions;

namespace Helix.Gateway.DataPlane;

/// <summary>Removes what looks like a credential from text an upstream wrote before it reaches a caller.</summary>
/// <remarks>
/// Error messages of providers travel into Helix's own (<c>"… failed: {upstream message}"</c>). Some providers echo
/// the key they were sent, whole or masked (<c>sk-abc1*****wxyz</c>); neither may reach a data-plane caller, who is not
/// the key's owner. Matched: Helix's own keys (<c>hlx_…</c>), OpenAI-style keys (<c>sk-…</c>, masked or not), Google API keys (<c>AIza…</c>), bearer
/// tokens, <c>key=…</c>-style pairs and any word with a run of mask characters. Stateless and thread-safe.
/// </remarks>
internal static partial class SecretRedactor
{
    public const string Replacement = "[redacted]";

    public static string Redact(string text) => string.IsNullOrEmpty(text) ? text : Secrets().Replace(text, Replacement);

    [GeneratedRegex(
        """(?:\bhlx_[A-Za-z0-9_\-]{4,})|(?:\b(?:sk|pk|rk|sess)-[A-Za-z0-9_\-\*\.]{4,})|(?:\bAIza[0-9A-Za-z_\-\*]{8,})|(?:\b[Bb]earer\s+[^\s"',;]+)|(?:(?<=\b(?:api[_-]?key|key|token|secret|password)["']?\s*[:=]\s*["']?)[^\s"'&,;]+)|(?:[^\s"',;:=]*\*{3,}[^\s"',;]*)""",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Secrets();
}
