namespace Promptor.Tests.Browser;

/// <summary>
/// A fact that needs Debian's Chromium and its driver (<c>apt-get install chromium chromium-driver</c>;
/// <c>.ci/run</c> installs them). Where they are absent the test is skipped with a message saying so;
/// a browser is never downloaded.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Browser = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            Skip = $"Chromium is not installed ({Browser} or {Driver} missing): run 'apt-get install -y chromium chromium-driver' to run the browser test.";
        }
    }
}
