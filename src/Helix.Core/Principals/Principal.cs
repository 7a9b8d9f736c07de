namespace Helix.Core.Principals;

/// <summary>Who calls: an application key, a human with a role, or an agent; what the log, budgets and approvals name.</summary>
/// <param name="Id">The stable id: a key's id (never the key itself), an account's id; the operation log's <c>principal</c> and the <c>key</c> budget scope's subject.</param>
/// <param name="Name">A name people read.</param>
/// <param name="Role">What the principal is and may do.</param>
/// <param name="Operations">The operations an application or agent key may call, or <see langword="null"/> for every operation.</param>
public sealed record Principal(string Id, string Name, PrincipalRole Role, IReadOnlyList<string>? Operations = null)
{
    /// <summary>The caller of a data plane that requires no key.</summary>
    public static Principal Anonymous { get; } = new("anonymous", "anonymous", PrincipalRole.App);

    /// <summary>Whether the principal is a human (viewer, operator or admin): only humans decide approvals.</summary>
    public bool IsHuman => Role is PrincipalRole.Viewer or PrincipalRole.Operator or PrincipalRole.Admin;

    /// <summary>Whether the principal may call <paramref name="operation"/> (canonical name, compared ordinally).</summary>
    public bool MayCall(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (Operations is null)
        {
            return true;
        }

        foreach (var allowed in Operations)
        {
            if (string.Equals(allowed, operation, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An application of the in-process library, named by the host; it may call every operation.</summary>
    /// <param name="id">The id recorded in the log.</param>
    public static Principal Application(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return new Principal(id, id, PrincipalRole.App);
    }
}
