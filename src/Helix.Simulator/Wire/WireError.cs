namespace Helix.Simulator.Wire;

/// <summary>An error answer, independent of the provider whose shape renders it.</summary>
internal enum WireError
{
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
    Overloaded,
    Unauthorized,
    InsufficientQuota,
}
