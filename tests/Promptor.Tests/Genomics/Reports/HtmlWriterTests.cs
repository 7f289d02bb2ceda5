using Promptor.Genomics.Reports;

namespace Promptor.Tests.Genomics.Reports;

public class HtmlWriterTests
{
    [Fact]
    public void ElementsNestAndAttributeValuesAreEscaped()
    {
        var w = new HtmlWriter();
        w.Open("p", ("class", "a\"b"), ("id", null)).Text("x < y").Element("code", "&").Close("p");
        Assert.Equal("<p class=\"a&quot;b\">x &lt; y<code>&amp;</code></p>\n", w.ToString());
    }

    [Fact]
    public void InsidePreNoLineBreaksAreAddedAfterInlineElements()
    {
        var w = new HtmlWriter();
        w.Open("pre").Element("span", "1 ").Text("AC").Element("mark", "GT").Text("\n").Close("pre");
        Assert.Equal("<pre><span>1 </span>AC<mark>GT</mark>\n</pre>\n", w.ToString());
    }

    [Fact]
    public void MismatchedOrUnclosedElementsAndBadNamesAreRefused()
    {
        var w = new HtmlWriter();
        w.Open("section").Open("div");
        Assert.Throws<InvalidOperationException>(() => w.Close("section"));
        Assert.Throws<InvalidOperationException>(() => w.ToString());
        Assert.Throws<ArgumentException>(() => w.Open("a b"));
        Assert.Throws<ArgumentException>(() => w.Open("p", ("on click", "x")));
        w.Close("div").Close("section");
        Assert.Equal("<section>\n<div>\n</div>\n</section>\n", w.ToString());
    }
}
