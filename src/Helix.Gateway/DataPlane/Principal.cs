namespace Helix.Gateway.DataPlane;

/// <summary>Who calls the data plane, as recorded in the operation log.</summary>
/// <remarks>
/// Application keys are not issued by Helix yet, so the data plane is open to whoever reaches it and every caller
/// is recorded as <c>anonymous</c>; bind the gateway to loopback or put it behind your own authentication.
/// </remarks>
internal static class Principal
{
    public const string Anonymous = "anonymous";
}
