using Helix.Core.Pipeline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Core.ChatClients;

/// <summary>Puts Helix into a Microsoft.Extensions.AI chat client pipeline.</summary>
public static class HelixChatClientBuilderExtensions
{
    /// <summary>Routes every call of the pipeline through Helix as <paramref name="operation"/>.</summary>
    /// <remarks>Helix chooses the model, so the client the builder wraps is not called (see <see cref="HelixChatClient"/>).</remarks>
    public static ChatClientBuilder UseHelix(this ChatClientBuilder builder, string operation, string principal = "in-process")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        return builder.Use((_, services) => new HelixChatClient(services.GetRequiredService<OperationPipeline>(), operation, principal));
    }

    /// <summary>Creates a Helix chat client for <paramref name="operation"/> from a service provider that has <c>AddHelix</c>.</summary>
    public static IChatClient GetHelixChatClient(this IServiceProvider services, string operation, string principal = "in-process")
    {
        ArgumentNullException.ThrowIfNull(services);
        return new HelixChatClient(services.GetRequiredService<OperationPipeline>(), operation, principal);
    }
}
