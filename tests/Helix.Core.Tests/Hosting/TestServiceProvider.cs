using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Core.Tests.Hosting;

/// <summary>A small container that resolves a service collection the way Microsoft.Extensions.DependencyInjection does.</summary>
/// <remarks>
/// This test project references only the DI abstractions, so registrations made by <c>AddHelix</c> are resolved here:
/// instances, factories and types (the longest constructor whose parameters all resolve, ambiguity being an error),
/// open generics, <see cref="IEnumerable{T}"/> and the last registration winning. Singletons and scoped services live
/// as long as the provider (there are no scopes); transients are created on each request. Disposes what it created,
/// newest first. Not thread-safe.
/// </remarks>
internal sealed class TestServiceProvider : IServiceProvider, IAsyncDisposable
{
    private readonly List<ServiceDescriptor> _descriptors;
    private readonly Dictionary<(ServiceDescriptor, Type), object> _singletons = [];
    private readonly List<object> _created = [];

    public TestServiceProvider(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _descriptors = [.. services.Where(d => !d.IsKeyedService)];
    }

    public object? GetService(Type serviceType)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceType == typeof(IServiceProvider))
        {
            return this;
        }

        if (serviceType.IsConstructedGenericType && serviceType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var itemType = serviceType.GenericTypeArguments[0];
            var items = Matching(itemType).Select(d => Resolve(d, itemType)).ToArray();
            var array = Array.CreateInstance(itemType, items.Length);
            Array.Copy(items, array, items.Length);
            return array;
        }

        return Matching(serviceType).LastOrDefault() is { } descriptor ? Resolve(descriptor, serviceType) : null;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _created.Count - 1; i >= 0; i--)
        {
            switch (_created[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _created.Clear();
    }

    private IEnumerable<ServiceDescriptor> Matching(Type serviceType) =>
        _descriptors.Where(d => d.ServiceType == serviceType
            || (serviceType.IsConstructedGenericType && d.ServiceType == serviceType.GetGenericTypeDefinition()));

    private object Resolve(ServiceDescriptor descriptor, Type serviceType)
    {
        if (descriptor.ImplementationInstance is { } instance)
        {
            return instance;
        }

        if (descriptor.Lifetime != ServiceLifetime.Transient && _singletons.TryGetValue((descriptor, serviceType), out var existing))
        {
            return existing;
        }

        var created = descriptor.ImplementationFactory is { } factory
            ? factory(this)
            : Construct(descriptor.ImplementationType!.IsGenericTypeDefinition
                ? descriptor.ImplementationType.MakeGenericType(serviceType.GenericTypeArguments)
                : descriptor.ImplementationType);
        _created.Add(created);
        if (descriptor.Lifetime != ServiceLifetime.Transient)
        {
            _singletons[(descriptor, serviceType)] = created;
        }

        return created;
    }

    private object Construct(Type type)
    {
        var candidates = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(CanResolve))
            .GroupBy(c => c.GetParameters().Length)
            .OrderByDescending(g => g.Key)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"No constructor of {type} can be satisfied.");
        if (candidates.Count() > 1)
        {
            throw new InvalidOperationException($"{type} has several constructors of {candidates.Key} resolvable parameters.");
        }

        var constructor = candidates.Single();
        return constructor.Invoke([.. constructor.GetParameters().Select(p => GetService(p.ParameterType) ?? p.DefaultValue)]);
    }

    private bool CanResolve(ParameterInfo parameter) =>
        parameter.HasDefaultValue
        || parameter.ParameterType == typeof(IServiceProvider)
        || (parameter.ParameterType.IsConstructedGenericType && parameter.ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        || Matching(parameter.ParameterType).Any();
}
