using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Storage.Conformance;

/// <summary>One back-end's hash-chained log store over one fresh database, with its price store and a way to run SQL as the stores would.</summary>
/// <param name="Log">The log store.</param>
/// <param name="Chain">The same store's chain (usually the same object as <paramref name="Log"/>).</param>
/// <param name="Prices">The price store, whose cost adjustments sit beside the log's rows.</param>
/// <param name="ExecuteAsync">Runs SQL on the database with the append-only triggers in force.</param>
/// <param name="Owner">What owns the database, if anything.</param>
public sealed record ChainStoresUnderTest(IOperationLogStore Log, IOperationLogChain Chain, IPriceStore Prices, Func<string, Task> ExecuteAsync, IAsyncDisposable? Owner = null);
