using System.Drawing;
using AngleSharp.Html.Parser;
using OpenQA.Selenium;
using Promptor.Genomics.Reports;
using Promptor.Tests.Genomics;
using Promptor.Tests.Genomics.Reports;

namespace Promptor.Tests.Browser;

public class ReportBrowserTests
{
    /// <summary>Where the screenshot and the printed PDF go: the test output folder.</summary>
    private static string OutputFolder => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser")).FullName;

    [ChromiumFact]
    public void TheReportOpensInHeadlessChromiumWithItsStructureAndLoadsNothingFromOutside()
    {
        using var dir = new TempDirectory();
        ReportFixture.WriteAll(dir.Path);
        string report = HtmlReport.Write(dir.Path);

        using var chromium = new HeadlessChromium(1280, 1600);
        var driver = chromium.Driver;
        driver.Navigate().GoToUrl(new Uri(report).AbsoluteUri);

        Assert.StartsWith("Promptor report: ", driver.Title, StringComparison.Ordinal);
        // The DOM the browser built, checked like the file itself.
        var document = new HtmlParser().ParseDocument(driver.PageSource);
        HtmlReportTests.AssertFullFixtureStructure(document);

        // Drawn, not just parsed: every logo and map has a size on the page, and nothing is wider than the window.
        var logos = driver.FindElements(By.CssSelector("svg.sequence-logo"));
        Assert.Equal(3, logos.Count);
        Assert.All(logos, l => Assert.True(l.Size.Width > 40 && l.Size.Height > 40, $"logo drawn {l.Size}"));
        Assert.All(driver.FindElements(By.CssSelector("svg.attention-map")), m => Assert.True(m.Size.Width > 200, $"map drawn {m.Size}"));
        var js = (IJavaScriptExecutor)driver;
        long pageWidth = (long)js.ExecuteScript("return document.documentElement.scrollWidth;")!;
        Assert.InRange(pageWidth, 1, 1280);
        // The page fetched no resources at all (no fonts, images, styles or scripts).
        Assert.Equal(0L, (long)js.ExecuteScript("return performance.getEntriesByType('resource').length;")!);
        Assert.Equal(0L, (long)js.ExecuteScript("return document.scripts.length;")!);

        long pageHeight = (long)js.ExecuteScript("return document.documentElement.scrollHeight;")!;
        driver.Manage().Window.Size = new Size(1280, (int)Math.Clamp(pageHeight + 140, 800, 12000));
        string screenshot = Path.Combine(OutputFolder, "report.png");
        driver.GetScreenshot().SaveAsFile(screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should hold a rendered page");

        // It prints: Chromium's print-to-PDF of the page gives several pages (7 for this fixture on A4).
        var pdf = driver.Print(new PrintOptions());
        byte[] bytes = Convert.FromBase64String(pdf.AsBase64EncodedString);
        File.WriteAllBytes(Path.Combine(OutputFolder, "report.pdf"), bytes);
        string text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.StartsWith("%PDF", text, StringComparison.Ordinal);
        int pages = System.Text.RegularExpressions.Regex.Count(text, @"/Type\s*/Page(?!s)\b");
        Assert.InRange(pages, 3, 40);
    }
}
