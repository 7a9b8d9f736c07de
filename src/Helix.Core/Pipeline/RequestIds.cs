namespace Helix.Core.Pipeline;

/// <summary>Helix request ids, made in one place for every entry (HTTP and in-process): sortable by time, unique, safe in headers and logs.</summary>
/// <remarks>Thread-safe.</remarks>
public static class RequestIds
{
    /// <summary>A new id: <c>req_</c> and a version-7 GUID (time-ordered) in hex.</summary>
    public static string New() => $"req_{Guid.CreateVersion7():N}";
}
