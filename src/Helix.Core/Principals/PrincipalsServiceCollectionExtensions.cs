using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Helix.Core.Principals;

/// <summary>Registers API keys: the in-memory <see cref="KeyDirectory"/> and the service that keeps it fresh.</summary>
public static class PrincipalsServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="KeyDirectory"/>, <see cref="ApiKeyService"/> and <see cref="KeyDirectoryService"/>; an <see cref="IKeyStore"/> is registered by the storage.</summary>
    /// <remarks>The host binds <see cref="KeysOptions"/> to <see cref="KeysOptions.SectionName"/>.</remarks>
    public static IServiceCollection AddHelixKeys(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KeysOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeysOptions>, ValidateKeysOptions>());
        services.TryAddSingleton<KeyDirectory>();
        services.TryAddSingleton<ApiKeyService>();
        services.AddHostedService<KeyDirectoryService>();
        return services;
    }
}
