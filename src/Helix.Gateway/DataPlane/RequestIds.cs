namespace Helix.Gateway.DataPlane;

/// <summary>Helix request ids: sortable by time, unique, safe in headers and logs.</summary>
internal static class RequestIds
{
    public static string New() => $"req_{Guid.CreateVersion7():N}";
}
