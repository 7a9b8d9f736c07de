using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.Gemini;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;

namespace Helix.Providers.Tests.Gemini;

public sealed class GeminiChatConformanceTests : ChatConformance
{
    protected override string SimulatedProvider => SimulatorProviders.Gemini;

    protected override string ProviderModel => "gemini-2.5-flash";

    protected override string ErrorBody(int status, string message) =>
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["status"] = status switch
                {
                    400 => "INVALID_ARGUMENT",
                    401 => "UNAUTHENTICATED",
                    403 => "PERMISSION_DENIED",
                    404 => "NOT_FOUND",
                    429 => "RESOURCE_EXHAUSTED",
                    503 => "UNAVAILABLE",
                    _ => "INTERNAL",
                },
            },
        }.ToJsonString();

    protected override IChatProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new GeminiChatProvider(http, endpoint);
}
