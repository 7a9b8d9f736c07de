using Microsoft.Extensions.Options;

namespace Helix.Gateway.Configuration;

/// <summary>Reports every configuration error at once, naming the key to fix.</summary>
internal sealed class ValidateGatewayOptions : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        List<string> errors = [];
        var storage = options.Storage.Provider;
        var postgres = string.Equals(storage, "postgres", StringComparison.OrdinalIgnoreCase);
        if (!postgres && !string.Equals(storage, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Helix:Storage:Provider '{storage}' is unknown; use 'sqlite' or 'postgres'.");
        }

        if (string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
        {
            errors.Add("Set Helix:Storage:ConnectionString (for example 'Data Source=data/helix.db').");
        }
        else if (postgres && options.Storage.ConnectionString.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Helix:Storage:Provider is 'postgres': set Helix:Storage:ConnectionString to a PostgreSQL one (for example 'Host=db;Username=helix;Password=…;Database=helix').");
        }

        if (postgres && options.Storage.LogRetentionMonths < 0)
        {
            errors.Add("Helix:Storage:LogRetentionMonths must be 0 (keep everything) or a number of months.");
        }

        if (postgres && options.Storage.InstanceLease < TimeSpan.FromSeconds(1))
        {
            errors.Add("Helix:Storage:InstanceLease must be at least one second (for example 00:00:15).");
        }

        if (options.AdminKey is { Length: > 0 and < 16 })
        {
            errors.Add("Helix:AdminKey must be at least 16 characters long.");
        }

        if (options.MaxRequestBodyBytes < 1024)
        {
            errors.Add("Helix:MaxRequestBodyBytes must be at least 1024.");
        }

        if (options.DataPlane.RequestsPerMinute is < 1 or > Access.DataPlaneRateLimits.MaxRequestsPerMinute)
        {
            errors.Add($"Helix:DataPlane:RequestsPerMinute must be from 1 to {Access.DataPlaneRateLimits.MaxRequestsPerMinute}, or unset for no limit.");
        }

        if (options.DataPlane.AnonymousRequestsPerMinute is < 1 or > Access.DataPlaneRateLimits.MaxRequestsPerMinute)
        {
            errors.Add($"Helix:DataPlane:AnonymousRequestsPerMinute must be from 1 to {Access.DataPlaneRateLimits.MaxRequestsPerMinute}, or unset for the keys' default.");
        }

        if (options.Simulator.Port is < 0 or > 65535)
        {
            errors.Add("Helix:Simulator:Port must be from 0 (any free port) to 65535.");
        }

        if (options.PriceOverridesFile is { Length: > 0 } file && !File.Exists(file))
        {
            errors.Add($"Helix:PriceOverridesFile '{file}' does not exist.");
        }

        foreach (var (provider, settings) in options.Providers)
        {
            if (!ProviderCatalog.IsKnown(provider))
            {
                errors.Add($"Helix:Providers:{provider} is not a known provider; known: {string.Join(", ", ProviderCatalog.Names)}.");
            }

            if (settings.BaseUrl is { IsAbsoluteUri: false })
            {
                errors.Add($"Helix:Providers:{provider}:BaseUrl must be an absolute URL.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
