using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteStorageServiceCollectionExtensionsTests
{
    [Fact]
    public void AddHelixSqliteStorage_RegistersTheDatabaseAndTheThreeStoresAsSingletons()
    {
        var services = new ServiceCollection().AddHelixSqliteStorage("Data Source=file:di?mode=memory&cache=shared");

        foreach (var type in new[] { typeof(SqliteDatabase), typeof(IRouteStore), typeof(IOperationLogStore), typeof(IPriceStore) })
        {
            Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == type).Lifetime);
        }
    }

    [Fact]
    public async Task AddHelixSqliteStorage_Resolved_StoresShareOneDatabase()
    {
        var services = new ServiceCollection().AddHelixSqliteStorage($"Data Source=file:di-{Guid.NewGuid():N}?mode=memory&cache=shared");
        var provider = new SingletonProvider(services);
        var database = provider.Get<SqliteDatabase>();
        await database.InitializeAsync(TestContext.Current.CancellationToken);

        var routes = await provider.Get<IRouteStore>().GetRoutesAsync(TestContext.Current.CancellationToken);

        Assert.IsType<SqliteRouteStore>(provider.Get<IRouteStore>());
        Assert.IsType<SqliteOperationLogStore>(provider.Get<IOperationLogStore>());
        Assert.IsType<SqlitePriceStore>(provider.Get<IPriceStore>());
        Assert.Same(provider.Get<IRouteStore>(), provider.Get<SqliteRouteStore>());
        Assert.Equal(9, routes.Count);
        await database.DisposeAsync();
    }

    /// <summary>Just enough of a container to run the registrations' factories: singletons only, no Microsoft.Extensions.DependencyInjection package needed.</summary>
    private sealed class SingletonProvider(IServiceCollection services) : IServiceProvider
    {
        private readonly Dictionary<Type, object> _instances = [];

        public T Get<T>() where T : notnull => (T)GetService(typeof(T))!;

        public object? GetService(Type serviceType)
        {
            if (_instances.TryGetValue(serviceType, out var instance))
            {
                return instance;
            }

            var descriptor = services.LastOrDefault(d => d.ServiceType == serviceType);
            if (descriptor is null)
            {
                return null;
            }

            instance = descriptor.ImplementationInstance ?? descriptor.ImplementationFactory?.Invoke(this)
                ?? throw new InvalidOperationException($"{serviceType} is registered by type; this provider only runs factories.");
            _instances[serviceType] = instance;
            return instance;
        }
    }
}
