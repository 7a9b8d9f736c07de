using System.Text.RegularExpressions;

namespace Helix.Core.Toggles;

/// <summary>The names of toggles: the rule every name follows, the kill-switch convention and the locked safety toggles.</summary>
/// <remarks>
/// <para>
/// Kill switches are named for what they kill, so a newcomer can guess them: <c>kill:global</c> (every call),
/// <c>kill:operation:&lt;operation&gt;</c> (<c>kill:operation:chat</c>), <c>kill:provider:&lt;provider&gt;</c>
/// (<c>kill:provider:gemini</c>) and <c>kill:model:&lt;provider/model&gt;</c> (<c>kill:model:openai/gpt-4o</c>).
/// A kill switch kills while it is enabled; its scope and subject come from its name.
/// </para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static partial class ToggleNames
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 200;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "letters, digits and the characters - _ . : / @, starting with a letter or digit, at most 200 characters";

    /// <summary>The prefix of every kill switch.</summary>
    public const string KillPrefix = "kill:";

    /// <summary>The kill switch of every call.</summary>
    public const string KillGlobal = "kill:global";

    /// <summary>Locked: an agent principal may not create, change or retire a route.</summary>
    public const string AgentsCannotChangeRoutes = "agents-cannot-change-routes";

    /// <summary>Locked: an agent principal may not decide an approval, its own request's or any other.</summary>
    public const string AgentsCannotApprove = "agents-cannot-approve";

    /// <summary>Locked: a call of an operation flagged money-moving needs a human approval.</summary>
    public const string MoneyOperationsRequireApproval = "money-operations-require-approval";

    /// <summary>Locked: a recommendation (a cheaper model, say) is applied only through an approval.</summary>
    public const string RecommendationsRequireApproval = "recommendations-require-approval";

    private const string OperationPrefix = "kill:operation:";
    private const string ProviderPrefix = "kill:provider:";
    private const string ModelPrefix = "kill:model:";

    private static readonly (string Prefix, ToggleScope Scope)[] s_prefixes =
    [
        (OperationPrefix, ToggleScope.Operation),
        (ProviderPrefix, ToggleScope.Provider),
        (ModelPrefix, ToggleScope.Model),
    ];

    /// <summary>Whether <paramref name="name"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    /// <summary>The kill switch of <paramref name="operation"/>: <c>kill:operation:&lt;operation&gt;</c>.</summary>
    public static string KillOperation(string operation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        return OperationPrefix + operation;
    }

    /// <summary>The kill switch of <paramref name="provider"/>: <c>kill:provider:&lt;provider&gt;</c>.</summary>
    public static string KillProvider(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return ProviderPrefix + provider;
    }

    /// <summary>The kill switch of the catalog model <paramref name="modelId"/>: <c>kill:model:&lt;provider/model&gt;</c>.</summary>
    public static string KillModel(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return ModelPrefix + modelId;
    }

    /// <summary>Whether <paramref name="name"/> is a kill switch, and if so what it kills.</summary>
    /// <param name="name">The toggle's name.</param>
    /// <param name="scope">The scope its name gives it.</param>
    /// <param name="subject">The operation, provider or model it kills; <see langword="null"/> for <see cref="KillGlobal"/>.</param>
    /// <returns><see langword="true"/> for a well-formed kill switch name; <see langword="false"/> for any other name, a malformed <c>kill:</c> name included.</returns>
    public static bool TryParseKill(string name, out ToggleScope scope, out string? subject)
    {
        ArgumentNullException.ThrowIfNull(name);
        scope = ToggleScope.Global;
        subject = null;
        if (string.Equals(name, KillGlobal, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var (prefix, kind) in s_prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
            {
                scope = kind;
                subject = name[prefix.Length..];
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="name"/> starts with <see cref="KillPrefix"/>.</summary>
    public static bool LooksLikeKill(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(KillPrefix, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/@-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
