namespace Helix.Core.Alerts;

/// <summary>Something an operator should know about now.</summary>
/// <param name="Kind">A stable kind (<c>price_unknown</c>, <c>usage_unknown</c>, …).</param>
/// <param name="Message">A sentence for a person.</param>
/// <param name="Operation">The operation concerned, if any.</param>
/// <param name="Model">The model concerned, if any.</param>
/// <param name="At">When it happened.</param>
public sealed record Alert(string Kind, string Message, string? Operation, string? Model, DateTimeOffset At);
