using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Helix.Core.Toggles;

/// <summary>The locked safety toggles: guardrails fixed by code (and extended by the host's configuration), never stored.</summary>
/// <remarks>
/// <para>
/// Read the guardrails from here: <see cref="AgentsCannotChangeRoutes"/>, <see cref="AgentsCannotApprove"/>,
/// <see cref="MoneyOperationsRequireApproval"/>, <see cref="RecommendationsRequireApproval"/>, or any locked toggle by
/// name with <see cref="IsEnabled"/>. The built-in ones (<see cref="BuiltIn"/>) are all enabled; configuration may
/// add locked toggles (<c>Helix:Toggles:Locked</c>) but not change a built-in one. No API call, role or stored row
/// changes a locked toggle; a stored row that contradicts one stops start-up (<see cref="ToggleTable.InitializeAsync"/>).
/// </para>
/// <para>Immutable and thread-safe; one instance per host.</para>
/// </remarks>
public sealed class SafetyToggles
{
    private const string BuiltInOwner = "helix (built in)";

    private readonly FrozenDictionary<string, ToggleConfig> _byName;

    /// <summary>The locked toggles defined in code, all enabled.</summary>
    public static ImmutableArray<ToggleConfig> BuiltIn { get; } =
    [
        Locked(ToggleNames.AgentsCannotChangeRoutes,
            "An agent principal may not create, change or retire a route.",
            "An AI acting on its own must not choose which model spends the organisation's money."),
        Locked(ToggleNames.AgentsCannotApprove,
            "An agent principal may not decide an approval, its own request's or any other.",
            "An approval is a human's decision; an agent approving spend would defeat the gate."),
        Locked(ToggleNames.MoneyOperationsRequireApproval,
            "A call of an operation flagged money-moving waits for a human approval.",
            "Moving money is irreversible: a person confirms every such call."),
        Locked(ToggleNames.RecommendationsRequireApproval,
            "A recommendation (a cheaper model, say) is applied only through a human approval.",
            "A recommendation changes what runs in production; a person decides on its evidence."),
    ];

    /// <summary>The built-in locked toggles only.</summary>
    public static SafetyToggles Default { get; } = new([]);

    /// <summary>Creates the set: the built-in toggles and <paramref name="configured"/> ones.</summary>
    /// <param name="configured">Locked toggles from configuration; each is marked locked.</param>
    /// <exception cref="ArgumentException">A configured toggle has a bad name, repeats a name, or contradicts a built-in one.</exception>
    public SafetyToggles(IEnumerable<ToggleConfig> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var byName = BuiltIn.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var toggle in configured)
        {
            if (!ToggleNames.IsValid(toggle.Name))
            {
                throw new ArgumentException($"'{toggle.Name}' is not a valid toggle name: use {ToggleNames.Rule}.", nameof(configured));
            }

            if (!seen.Add(toggle.Name))
            {
                throw new ArgumentException($"The locked toggle '{toggle.Name}' is defined twice.", nameof(configured));
            }

            if (byName.TryGetValue(toggle.Name, out var builtIn))
            {
                if (builtIn.Enabled != toggle.Enabled)
                {
                    throw new ArgumentException($"'{toggle.Name}' is a built-in safety toggle, enabled; configuration cannot change it.", nameof(configured));
                }

                continue;
            }

            var scope = toggle.Scope;
            var subject = toggle.Subject;
            if (ToggleNames.TryParseKill(toggle.Name, out var killScope, out var killSubject))
            {
                (scope, subject) = (killScope, killSubject);
            }

            byName[toggle.Name] = toggle with { Locked = true, Scope = scope, Subject = subject, UpdatedAt = null, UpdatedBy = null };
        }

        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        All = [.. _byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every locked toggle, ordered by name.</summary>
    public ImmutableArray<ToggleConfig> All { get; }

    /// <summary>Whether an agent principal is refused every route change (always, as built in).</summary>
    public bool AgentsCannotChangeRoutes => IsEnabled(ToggleNames.AgentsCannotChangeRoutes);

    /// <summary>Whether an agent principal is refused every approval decision (always, as built in).</summary>
    public bool AgentsCannotApprove => IsEnabled(ToggleNames.AgentsCannotApprove);

    /// <summary>Whether a money-moving operation's call needs a human approval (always, as built in).</summary>
    public bool MoneyOperationsRequireApproval => IsEnabled(ToggleNames.MoneyOperationsRequireApproval);

    /// <summary>Whether a recommendation is applied only through an approval (always, as built in).</summary>
    public bool RecommendationsRequireApproval => IsEnabled(ToggleNames.RecommendationsRequireApproval);

    /// <summary>Whether <paramref name="name"/> is a locked toggle.</summary>
    public bool IsLocked(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.ContainsKey(name);
    }

    /// <summary>Whether the locked toggle <paramref name="name"/> is enabled; <see langword="false"/> when no locked toggle has that name.</summary>
    public bool IsEnabled(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var toggle) && toggle.Enabled;
    }

    /// <summary>Finds the locked toggle named <paramref name="name"/>.</summary>
    public bool TryGet(string name, out ToggleConfig toggle)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out toggle!);
    }

    private static ToggleConfig Locked(string name, string description, string reason) => new()
    {
        Name = name,
        Enabled = true,
        Locked = true,
        Description = description,
        Owner = BuiltInOwner,
        LockedReason = reason,
    };
}
