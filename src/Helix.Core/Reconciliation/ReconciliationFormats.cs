namespace Helix.Core.Reconciliation;

/// <summary>The billing export formats Helix reads, found by provider.</summary>
/// <remarks>Stateless and thread-safe; the parsers it returns are shared.</remarks>
public static class ReconciliationFormats
{
    private static readonly OpenAICostsExportParser s_openAI = new();
    private static readonly AnthropicCostReportParser s_anthropic = new();
    private static readonly GoogleBillingCsvParser s_google = new();
    private static readonly DeepgramUsageExportParser s_deepgram = new();

    /// <summary>The providers with a supported export (<c>google</c> is accepted for <c>gemini</c>).</summary>
    public static IReadOnlyList<string> SupportedProviders { get; } = ["openai", "anthropic", "gemini", "deepgram"];

    /// <summary>The parser of a provider's export.</summary>
    /// <param name="provider">A provider id: <c>openai</c>, <c>anthropic</c>, <c>gemini</c> (or <c>google</c>), <c>deepgram</c>.</param>
    /// <exception cref="ArgumentException">The provider has no supported export; the message says why and lists those that do.</exception>
    public static IBillingExportParser Get(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return BilledModelNames.NormalizeProvider(provider) switch
        {
            "openai" => s_openAI,
            "anthropic" => s_anthropic,
            "gemini" => s_google,
            "deepgram" => s_deepgram,
            "deepseek" => throw new ArgumentException(
                "DeepSeek has no usage or cost export API (only GET /user/balance); compare its console's daily usage or the balance "
                + $"change with the operation log by hand. Supported providers: {Supported}.", nameof(provider)),
            "edge-tts" => throw new ArgumentException(
                $"edge-tts is free and has no bill to reconcile. Supported providers: {Supported}.", nameof(provider)),
            var other => throw new ArgumentException(
                $"No billing export format for provider '{other}'. Supported providers: {Supported}.", nameof(provider)),
        };
    }

    private static string Supported => "openai, anthropic, gemini (alias google), deepgram";
}
