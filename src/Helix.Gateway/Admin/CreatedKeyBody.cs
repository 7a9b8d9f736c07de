namespace Helix.Gateway.Admin;

/// <summary>The answer to <c>POST /admin/api/keys</c>: the key's description and, this once, the key itself.</summary>
internal sealed record CreatedKeyBody(
    string Id,
    string Key,
    string Name,
    string Role,
    IReadOnlyList<string>? Operations,
    int? RequestsPerMinute,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    /// <inheritdoc/>
    public override string ToString() => $"CreatedKeyBody {{ Id = {Id}, Key = (hidden) }}";
}
