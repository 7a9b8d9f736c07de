using Helix.Core.Principals;

namespace Helix.Dashboard.Accounts;

/// <summary>The outcome of a sign-in: the principal, or why not.</summary>
/// <param name="Principal">The signed-in principal, when the sign-in succeeded.</param>
/// <param name="Error">What to tell the person, when it failed.</param>
public sealed record SignInOutcome(Principal? Principal, string? Error)
{
    /// <summary>Whether the sign-in succeeded.</summary>
    public bool Succeeded => Principal is not null;
}
