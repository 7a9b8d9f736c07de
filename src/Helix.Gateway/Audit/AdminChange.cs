using Helix.Core.Audit;

namespace Helix.Gateway.Audit;

/// <summary>What an admin change endpoint did: its answer, and the change to record when it changed something.</summary>
/// <param name="Response">The endpoint's answer.</param>
/// <param name="Action">The change's action (<c>route.update</c>…), or <see langword="null"/> when nothing was changed (bad input, not found).</param>
/// <param name="Target">What was changed.</param>
/// <param name="Before">The thing as JSON before, or <see langword="null"/> when it did not exist; never a secret.</param>
/// <param name="After">The thing as JSON after, or <see langword="null"/> when it was deleted; never a secret.</param>
internal sealed record AdminChange(IResult Response, string? Action, string Target, string? Before, string? After)
{
    /// <summary>Nothing was changed: the answer alone, nothing recorded.</summary>
    public static AdminChange None(IResult response) => new(response, null, "", null, null);

    /// <summary>A change made: the answer, and what to record.</summary>
    public static AdminChange Made(IResult response, string action, string target, string? before, string? after) =>
        new(response, action, target, before, after);

    /// <summary>The record of this change by <paramref name="principal"/>.</summary>
    public ChangeRecord ToRecord(Helix.Core.Principals.Principal principal) =>
        new(principal.Id, principal.Name, Action!, Target, Before, After);
}
