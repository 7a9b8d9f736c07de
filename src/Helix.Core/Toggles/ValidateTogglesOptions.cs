using Microsoft.Extensions.Options;

namespace Helix.Core.Toggles;

/// <summary>Checks <see cref="TogglesOptions"/> at start-up and names every key to fix.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed class ValidateTogglesOptions : IValidateOptions<TogglesOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TogglesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Locked.Count; i++)
        {
            var locked = options.Locked[i];
            var key = $"{TogglesOptions.SectionName}:Locked:{i}";
            if (!ToggleNames.IsValid(locked.Name))
            {
                errors.Add($"Set {key}:Name to a toggle name ({ToggleNames.Rule}); it is '{locked.Name}'.");
                continue;
            }

            if (!seen.Add(locked.Name!))
            {
                errors.Add($"{key}:Name repeats the locked toggle '{locked.Name}'; define each once.");
            }

            if (ToggleNames.LooksLikeKill(locked.Name!) && !ToggleNames.TryParseKill(locked.Name!, out _, out _))
            {
                errors.Add($"{key}:Name '{locked.Name}' is not a kill switch name: use kill:global, kill:operation:<operation>, kill:provider:<provider> or kill:model:<provider/model>.");
            }

            if (SafetyToggles.Default.TryGet(locked.Name!, out var builtIn) && builtIn.Enabled != locked.Enabled)
            {
                errors.Add($"{key}: '{locked.Name}' is a built-in safety toggle, enabled; configuration cannot switch it off. Remove {key}.");
            }

            if (locked.Description is { Length: > ToggleTable.MaxTextLength } || locked.Owner is { Length: > ToggleTable.MaxTextLength } || locked.Reason is { Length: > ToggleTable.MaxTextLength })
            {
                errors.Add($"{key}: Description, Owner and Reason are at most {ToggleTable.MaxTextLength} characters.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
