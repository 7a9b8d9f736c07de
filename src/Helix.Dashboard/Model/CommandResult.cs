namespace Helix.Dashboard.Model;

/// <summary>The outcome of a dashboard action: done, or why not (the message is shown as is).</summary>
/// <param name="Error">What went wrong, or <see langword="null"/> when the action was done.</param>
public sealed record CommandResult(string? Error)
{
    /// <summary>The action was done.</summary>
    public static CommandResult Done { get; } = new((string?)null);

    /// <summary>Whether the action was done.</summary>
    public bool Succeeded => Error is null;
}
