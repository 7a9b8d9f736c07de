using Helix.Core.Alerts;
using Helix.Core.Budgets;
using Helix.Core.OperationLog;

namespace Helix.Storage.Conformance;

/// <summary>One back-end's budget, alert and log stores over one fresh database.</summary>
/// <param name="Budgets">The budget store.</param>
/// <param name="Alerts">The alert store.</param>
/// <param name="Log">The log store whose rows the budget store's spend reads.</param>
/// <param name="Owner">What owns the database, if anything.</param>
public sealed record BudgetStoresUnderTest(IBudgetStore Budgets, IAlertStore Alerts, IOperationLogStore Log, IAsyncDisposable? Owner = null);
