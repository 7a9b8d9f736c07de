namespace Helix.Core.Alerts;

/// <summary>One alert due to one notifier: a row of the durable outbox, until delivered.</summary>
/// <param name="Id">The outbox row's id.</param>
/// <param name="Alert">The alert to deliver.</param>
/// <param name="Notifier">The notifier to deliver it to.</param>
/// <param name="Attempts">Deliveries tried so far.</param>
public sealed record OutboxMessage(long Id, AlertRecord Alert, NotifierConfig Notifier, int Attempts);
