using Helix.Core.Hosting;
using Helix.Core.Resilience;
using Microsoft.Extensions.Options;

namespace Helix.Gateway.Configuration;

/// <summary>
/// Binds and validates every options class of the gateway before anything is built, so that one start reports
/// every bad key at once, a value of the wrong type included.
/// </summary>
/// <remarks>The same validators also run with <c>ValidateOnStart</c>; this pass only makes the report complete and early.</remarks>
internal static class StartupConfiguration
{
    /// <summary>The gateway's options, once every class is valid.</summary>
    /// <exception cref="GatewayConfigurationException">Some key is wrong; the failures name each one.</exception>
    public static GatewayOptions Read(IConfiguration configuration)
    {
        List<string> failures = [];
        var gateway = Bind<GatewayOptions>(configuration, GatewayOptions.SectionName, failures);
        Check(gateway, new ValidateGatewayOptions(), failures);
        Check(Bind<HelixOptions>(configuration, HelixOptions.SectionName, failures), new ValidateHelixOptions(), failures);
        Check(Bind<ResilienceOptions>(configuration, ResilienceOptions.SectionName, failures), new Helix.Core.Resilience.ValidateResilienceOptions(), failures);
        return failures.Count == 0 && gateway is not null ? gateway : throw new GatewayConfigurationException(failures);
    }

    private static T? Bind<T>(IConfiguration configuration, string section, List<string> failures)
        where T : class, new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex) when (ex.Source == "Microsoft.Extensions.Configuration.Binder")
        {
            // "Failed to convert configuration value 'soon' at 'Helix:Resilience:AttemptTimeout' to type 'System.TimeSpan'."
            failures.Add(ex.Message);
            return null;
        }
    }

    private static void Check<T>(T? options, IValidateOptions<T> validator, List<string> failures)
        where T : class
    {
        if (options is not null && validator.Validate(null, options) is { Failed: true } result)
        {
            failures.AddRange(result.Failures);
        }
    }
}
