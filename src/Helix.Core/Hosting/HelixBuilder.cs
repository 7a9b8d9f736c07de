using Helix.Core.Providers;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Core.Hosting;

/// <summary>Continues the configuration begun by <see cref="HelixServiceCollectionExtensions.AddHelix"/>.</summary>
public sealed class HelixBuilder
{
    internal HelixBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a chat provider, created once from the services.</summary>
    public HelixBuilder AddChatProvider(Func<IServiceProvider, IChatProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Adds an embeddings provider, made on first use.</summary>
    public HelixBuilder AddEmbeddingsProvider(Func<IServiceProvider, IEmbeddingsProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Adds a transcription provider, made on first use.</summary>
    public HelixBuilder AddTranscriptionProvider(Func<IServiceProvider, ITranscriptionProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Adds a speech provider, made on first use.</summary>
    public HelixBuilder AddSpeechProvider(Func<IServiceProvider, ISpeechProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }
}
