using Helix.Core.Principals;

namespace Helix.Gateway.Access;

/// <summary>The principal of a request, as the authentication middleware found it.</summary>
public static class PrincipalHttpContextExtensions
{
    /// <summary>The request's principal; <see cref="Principal.Anonymous"/> when none was authenticated.</summary>
    public static Principal GetPrincipal(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<Principal>() ?? Principal.Anonymous;
    }

    /// <summary>Sets the request's principal (authentication middleware only).</summary>
    public static void SetPrincipal(this HttpContext context, Principal principal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(principal);
        context.Features.Set(principal);
    }
}
