using Helix.Gateway.DataPlane;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-abc1***************wxyz. You can find your API key at …", "sk-proj-abc1")]
    [InlineData("Incorrect API key provided: sk-abcdefghijklmnopqrstuvwxyz0123456789.", "sk-abcdefghij")]
    [InlineData("API key not valid: AIzaSyD-1234567890abcdefghijklmno", "AIzaSyD")]
    [InlineData("upstream said: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig rejected", "eyJhbGci")]
    [InlineData("GET https://example.test/v1beta/models?key=s3cr3t-value&alt=sse failed", "s3cr3t-value")]
    [InlineData("invalid x-api-key: ab12********************yz89", "ab12")]
    public void Redact_TextWithACredential_LeavesNoPartOfIt(string text, string secretPart)
    {
        var redacted = SecretRedactor.Redact(text);

        Assert.DoesNotContain(secretPart, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Replacement, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Every model of operation 'chat' failed after 3 attempt(s) (last error: The server had an error while processing your request. Sorry about that!).")]
    [InlineData("Rate limit reached for deepseek-v4-flash on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.")]
    [InlineData("'max_tokens' must be a whole number from 1 to 2147483647.")]
    public void Redact_OrdinaryMessage_IsUnchanged(string text) => Assert.Equal(text, SecretRedactor.Redact(text));
}
