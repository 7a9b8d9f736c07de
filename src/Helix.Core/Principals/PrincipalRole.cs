namespace Helix.Core.Principals;

/// <summary>What a principal is and may do.</summary>
/// <remarks>
/// <see cref="App"/> and <see cref="Agent"/> call the data plane; the three human roles use the admin API and the
/// dashboard, each allowed what the one before it is and more. An agent may read the admin API and propose, never
/// decide: it approves nothing (not even its own request), changes no route and switches no toggle.
/// </remarks>
public enum PrincipalRole
{
    /// <summary>An application calling the data plane with its key.</summary>
    App,

    /// <summary>An AI system acting on its own: the data plane, and on the admin API read and propose only.</summary>
    Agent,

    /// <summary>A human who may read everything.</summary>
    Viewer,

    /// <summary>A human who may also switch toggles, decide approvals, and change budgets and routes.</summary>
    Operator,

    /// <summary>A human who may do everything: keys, notifiers and prices too.</summary>
    Admin,
}
