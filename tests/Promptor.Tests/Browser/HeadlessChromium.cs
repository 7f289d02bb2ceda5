using OpenQA.Selenium.Chrome;

namespace Promptor.Tests.Browser;

/// <summary>
/// Starts Debian's Chromium headless through its chromedriver, with the flags of ECOSYSTEM.md: no
/// sandbox, no GPU, no background networking, component updates, sync, first-run pages or QUIC, and a
/// fresh profile folder that is deleted on dispose. Selenium is pointed at both binaries, so it never
/// looks for or downloads a browser.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private readonly string profile;

    public HeadlessChromium(int width, int height)
    {
        profile = Path.Combine(Path.GetTempPath(), "promptor-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver)!, Path.GetFileName(ChromiumFactAttribute.Driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        options.AddArguments(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--user-data-dir=" + profile,
            $"--window-size={width},{height}");
        try
        {
            Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            DeleteProfile();
            throw;
        }
    }

    public ChromeDriver Driver { get; }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        DeleteProfile();
    }

    private void DeleteProfile()
    {
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
