using Helix.Core.Routing;
using Xunit;

namespace Helix.Core.Tests.Routing;

public sealed class ModelConfigTests
{
    [Fact]
    public void IdOf_ProviderAndModel_JoinsWithSlash()
    {
        Assert.Equal("deepseek/deepseek-chat", ModelConfig.IdOf("deepseek", "deepseek-chat"));
    }

    [Fact]
    public void Defaults_NewModel_ServesChatWithAnOutputCap()
    {
        var model = new ModelConfig { Id = "openai/gpt-4o", Provider = "openai", ProviderModel = "gpt-4o" };

        Assert.Equal((Modality.Chat, 8192), (model.Modality, model.DefaultMaxOutputTokens));
    }
}
