namespace Helix.Core.Savings;

/// <summary>One operation's change in a <see cref="SavingsPlan"/>.</summary>
/// <param name="Operation">The operation, as the log names it.</param>
/// <param name="Model">The catalog id of the model it would use (<c>deepseek/deepseek-v4-flash</c>).</param>
/// <param name="ServiceTier">The service tier it would run in (<c>batch</c>, <c>flex</c>), or <see langword="null"/> to keep each call's own.</param>
public sealed record PlannedChange(string Operation, string Model, string? ServiceTier = null);
