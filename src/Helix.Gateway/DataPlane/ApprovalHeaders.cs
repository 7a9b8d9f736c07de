using System.Globalization;
using System.Security.Cryptography;
using Helix.Core.Approvals;
using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>
/// The approval side of a data-plane request: the SHA-256 of its raw body (an approval is bound to it), the approval
/// presented (<c>X-Helix-Approval</c>) and how long the caller lets the gateway hold the call (<c>X-Helix-Approval-Wait</c>).
/// </summary>
internal static class ApprovalHeaders
{
    public const string Approval = "X-Helix-Approval";
    public const string Wait = "X-Helix-Approval-Wait";
    private const int MaxIdLength = 64;

    /// <summary>Checks both headers; a bad value is a 400 before the body is read.</summary>
    public static GatewayError? Validate(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Approval, out var id)
            && (id.Count != 1 || string.IsNullOrWhiteSpace(id[0]) || id[0]!.Length > MaxIdLength || !id[0]!.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            return GatewayError.InvalidRequest($"'{Approval}' must be one approval id, as the approval_required error gave it.");
        }

        if (request.Headers.TryGetValue(Wait, out var wait)
            && (wait.Count != 1 || !int.TryParse(wait[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > ApprovalOptions.MaxWait.TotalSeconds))
        {
            return GatewayError.InvalidRequest($"'{Wait}' must be a whole number of seconds from 0 to {ApprovalOptions.MaxWait.TotalSeconds:0}.");
        }

        return null;
    }

    /// <summary>The approval id presented, or <see langword="null"/>; call <see cref="Validate"/> first.</summary>
    public static string? Id(HttpRequest request) =>
        request.Headers.TryGetValue(Approval, out var id) && id.Count == 1 ? id[0] : null;

    /// <summary>How long the caller lets the gateway wait for a decision; zero when not asked.</summary>
    public static TimeSpan WaitFor(HttpRequest request) =>
        request.Headers.TryGetValue(Wait, out var wait) && int.TryParse(wait[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, ApprovalOptions.MaxWait.TotalSeconds))
            : TimeSpan.Zero;

    /// <summary>Remembers the SHA-256 of the raw body bytes for the request (computed once, as the body is read).</summary>
    public static void SetBodyHash(HttpContext context, ReadOnlySpan<byte> body) =>
        context.Features.Set(new BodyHash(Convert.ToHexStringLower(SHA256.HashData(body))));

    /// <summary>The lowercase hex SHA-256 of the raw body, or <see langword="null"/> when no body was read.</summary>
    public static string? BodyHashOf(HttpContext context) => context.Features.Get<BodyHash>()?.Hex;

    private sealed record BodyHash(string Hex);
}
