using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Storage.Conformance;

/// <summary>One back-end's three stores over one fresh, seeded database, and what to dispose when the test ends.</summary>
/// <param name="Routes">The route store.</param>
/// <param name="Log">The operation log store.</param>
/// <param name="Prices">The price store; its adjustments must reach <paramref name="Log"/>'s rows.</param>
/// <param name="Owner">What owns the database, if anything.</param>
public sealed record StoreUnderTest(IRouteStore Routes, IOperationLogStore Log, IPriceStore Prices, IAsyncDisposable? Owner = null);
