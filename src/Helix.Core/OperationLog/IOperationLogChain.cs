using Helix.Core.Audit;

namespace Helix.Core.OperationLog;

/// <summary>A store whose operation log rows are hash-chained (<see cref="OperationLogChain"/>) and can be checked.</summary>
/// <remarks>Implementations are thread-safe and check in bounded memory, however long the log.</remarks>
public interface IOperationLogChain
{
    /// <summary>Checks every row from the first, in id order, and names the first broken one.</summary>
    Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
