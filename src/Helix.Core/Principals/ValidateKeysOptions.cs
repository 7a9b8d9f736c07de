using Microsoft.Extensions.Options;

namespace Helix.Core.Principals;

/// <summary>Checks <see cref="KeysOptions"/>, naming the key to fix.</summary>
public sealed class ValidateKeysOptions : IValidateOptions<KeysOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, KeysOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ReloadInterval < TimeSpan.FromSeconds(1) || options.ReloadInterval > TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail("Helix:Keys:ReloadInterval must be from 00:00:01 to 1.00:00:00.")
            : ValidateOptionsResult.Success;
    }
}
