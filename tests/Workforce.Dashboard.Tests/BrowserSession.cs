using Microsoft.Playwright;

namespace Workforce.Dashboard.Tests;

/// <summary>
/// Debian's Chromium (package <c>chromium</c>, installed by test.sh) driven by Playwright. Playwright's own browser
/// download is never used: this machine has no network beyond the package registries.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>Where Chromium is; <c>WORKFORCE_CHROMIUM</c> overrides it.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("WORKFORCE_CHROMIUM") ?? "/usr/bin/chromium";

    // Without the background-networking switches Chromium stalls trying to reach update and sync services.
    private static readonly string[] Switches =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<BrowserSession> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException($"Chromium is not at {ChromiumPath}; ./test.sh installs it (apt-get install chromium).", ChromiumPath);
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Switches,
            });
            return new BrowserSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh profile (its own session storage) with a viewport of the given size.</summary>
    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
