using System.Net.Http.Json;
using Helix.Cli;
using Helix.Gateway.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>
/// One real gateway on a loopback port (Kestrel, a fresh SQLite file, the simulator for every provider), three
/// accounts (admin, operator, viewer), demo traffic sent by <c>helix demo</c>, and one headless Debian chromium,
/// shared by every browser test.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string AdminKey = "dashboard-test-admin-key-0123456789";
    public const string Password = "a-long-test-password";
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-dashboard-tests", Guid.NewGuid().ToString("N"));
    private GatewayApp? _app;

    public string BaseUrl { get; private set; } = "";

    public IServiceProvider Services => _app!.Services;

    public IPlaywright Playwright { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Where screenshots go: <c>artifacts/screenshots</c> at the repository's root.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Helix.slnx")))
            {
                directory = directory.Parent;
            }

            var path = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = new GatewayApp(_directory);
        _app.UseKestrel(0);
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        foreach (var (name, role) in new[] { ("olive", "operator"), ("victor", "viewer") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/admin/api/users")
            {
                Content = JsonContent.Create(new { name, role, password = Password }),
            };
            request.Headers.Authorization = new("Bearer", AdminKey);
            using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }

        await RunDemoAsync(calls: 32);

        // Expectations retry until this long (Playwright's 5 s default is short for a 2-core CI machine).
        Assertions.SetDefaultExpectTimeout(20_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Sends demo traffic with the real <c>helix demo</c> command.</summary>
    public async Task RunDemoAsync(int calls)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await HelixCli.RunAsync(
            ["demo", "--calls", calls.ToString(System.Globalization.CultureInfo.InvariantCulture), "--rate", "50", "--seed", "7", "--url", BaseUrl],
            stdout, stderr, Http);
        Assert.True(exit == 0, $"helix demo failed: {stderr}");
    }

    /// <summary>A new browser page signed in as <paramref name="name"/> (admin, olive the operator, victor the viewer).</summary>
    public async Task<IPage> SignInAsync(string name)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/login");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#signed-in-as");
        await page.WaitForSelectorAsync("#helix-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    /// <summary>Opens <paramref name="path"/> and waits until its circuit is connected, so its controls respond.</summary>
    public async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForSelectorAsync("#helix-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Saves a full-page screenshot as a file under <see cref="ScreenshotDirectory"/> and as the test's attachment.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Path = Path.Combine(ScreenshotDirectory, name + ".png") });
        TestContext.Current.AddAttachment(name + ".png", bytes, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class GatewayApp(string directory) : WebApplicationFactory<GatewayOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Helix:AdminKey", AdminKey);
            builder.UseSetting("Helix:Dashboard:AdminPassword", Password);
            builder.UseSetting("Helix:Storage:ConnectionString", $"Data Source={Path.Combine(directory, "helix.db")}");
            builder.UseSetting("Helix:Simulator:Enabled", "true");
            builder.UseSetting("Helix:Resilience:BaseBackoff", "00:00:00.001");
            builder.UseSetting("Helix:Resilience:MaxBackoff", "00:00:00.005");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "Dashboard";
}
