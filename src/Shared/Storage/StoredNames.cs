using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Storage;

/// <summary>
/// The words the storage back-ends write for enums, and back: every store writes an enum by explicit name, never by
/// number, so that reordering an enum cannot re-mean stored rows. Linked into each storage project, so SQLite and
/// PostgreSQL write the same words.
/// </summary>
internal static class StoredNames
{
    public static string ToText(AttemptStatus value) => value switch
    {
        AttemptStatus.Success => "success",
        AttemptStatus.Failed => "failed",
        AttemptStatus.Cancelled => "cancelled",
        AttemptStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown attempt status."),
    };

    public static AttemptStatus ToAttemptStatus(string value) => value switch
    {
        "success" => AttemptStatus.Success,
        "failed" => AttemptStatus.Failed,
        "cancelled" => AttemptStatus.Cancelled,
        "interrupted" => AttemptStatus.Interrupted,
        _ => throw Unknown("attempt status", value),
    };

    public static string ToText(CostStatus value) => value switch
    {
        CostStatus.Priced => "priced",
        CostStatus.Estimated => "estimated",
        CostStatus.Unpriced => "unpriced",
        CostStatus.NotBilled => "not_billed",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown cost status."),
    };

    public static CostStatus ToCostStatus(string value) => value switch
    {
        "priced" => CostStatus.Priced,
        "estimated" => CostStatus.Estimated,
        "unpriced" => CostStatus.Unpriced,
        "not_billed" => CostStatus.NotBilled,
        _ => throw Unknown("cost status", value),
    };

    public static string ToText(Modality value) => value switch
    {
        Modality.Chat => "chat",
        Modality.Embeddings => "embeddings",
        Modality.Transcription => "transcription",
        Modality.Speech => "speech",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown modality."),
    };

    public static Modality ToModality(string value) => value switch
    {
        "chat" => Modality.Chat,
        "embeddings" => Modality.Embeddings,
        "transcription" => Modality.Transcription,
        "speech" => Modality.Speech,
        _ => throw Unknown("modality", value),
    };

    public static string ToText(UnknownPricePolicy value) => value switch
    {
        UnknownPricePolicy.Flag => "flag",
        UnknownPricePolicy.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown price policy."),
    };

    public static UnknownPricePolicy ToUnknownPricePolicy(string value) => value switch
    {
        "flag" => UnknownPricePolicy.Flag,
        "block" => UnknownPricePolicy.Block,
        _ => throw Unknown("unknown-price policy", value),
    };

    private static InvalidDataException Unknown(string what, string value) =>
        new($"The database holds an unknown {what} '{value}'; it was written by a newer or foreign build.");
}
