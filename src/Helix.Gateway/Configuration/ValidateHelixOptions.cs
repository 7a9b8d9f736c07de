using Helix.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Helix.Gateway.Configuration;

/// <summary>Checks the control plane's own settings (<c>Helix:RefreshInterval</c>), naming the key to fix.</summary>
internal sealed class ValidateHelixOptions : IValidateOptions<HelixOptions>
{
    public ValidateOptionsResult Validate(string? name, HelixOptions options) =>
        options.RefreshInterval < TimeSpan.FromSeconds(1)
            ? ValidateOptionsResult.Fail($"{HelixOptions.SectionName}:{nameof(options.RefreshInterval)} must be at least one second (for example 00:05:00).")
            : ValidateOptionsResult.Success;
}
