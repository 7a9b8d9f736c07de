using Helix.Core.Audit;
using Helix.Gateway.Access;

namespace Helix.Gateway.Audit;

/// <summary>Makes admin changes one at a time and appends each to the change history, with who made it, before and after.</summary>
/// <remarks>
/// <para>
/// A change runs under one gate shared by every admin change, so the state it reads as "before" is the state it
/// changed, and its "after" is what it left: no other admin change interleaves (admin changes are rare; the data
/// plane never takes this gate). The entry is appended once the change is committed, still under the gate, so the
/// history's order is the order in which changes were made.
/// </para>
/// <para>
/// The change and its entry are two commits (the stores' contracts are per thing; one transaction across them would
/// put the history into every store's API). A change is therefore never made without its entry unless the append
/// itself fails right after the change committed: then the API answers 500 naming the change, the recorder logs the
/// whole entry at Critical (so it is kept in the logs), and <c>GET /readyz</c> reports the history as failing until
/// an append succeeds again.
/// </para>
/// <para>Thread-safe; a singleton.</para>
/// </remarks>
internal sealed partial class ChangeRecorder(IChangeHistory history, TimeProvider time, ILogger<ChangeRecorder> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile string? _failure;

    /// <summary>Why the last append failed, or <see langword="null"/> when the last append succeeded.</summary>
    public string? Failure => _failure;

    /// <summary>Runs <paramref name="change"/> alone and records what it reports; answers its response, or 500 when the record could not be appended.</summary>
    public async Task<IResult> ChangeAsync(HttpContext context, Func<CancellationToken, Task<AdminChange>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(change);
        var principal = context.GetPrincipal();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var made = await change(cancellationToken);
            if (made.Action is null)
            {
                return made.Response;
            }

            var record = made.ToRecord(principal);
            try
            {
                // Not the request's token: the change is committed, its record must not be dropped because the caller left.
                await history.AppendAsync(record, CancellationToken.None);
                _failure = null;
                return made.Response;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _failure = $"{time.GetUtcNow():O} {record.Action} {record.Target}: {ex.Message}";
                LogAppendFailed(logger, ex, record.Action, record.Target, record.ActorId, record.Before, record.After);
                return Results.Problem(
                    title: "Change not recorded",
                    detail: $"The change {record.Action} of '{record.Target}' was made, but the change history could not record it: {ex.Message}",
                    statusCode: StatusCodes.Status500InternalServerError);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(EventId = 1201, Level = LogLevel.Critical,
        Message = "The change {Action} of '{Target}' by {ActorId} was made but could not be appended to the change history; before: {Before}; after: {After}")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string action, string target, string actorId, string? before, string? after);
}
