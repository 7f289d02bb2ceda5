using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.IO;

public class BedReaderTests
{
    private static IReadOnlyList<BedRecord> Parse(string text) => BedReader.Read(new StringReader(text), "genes.bed");

    [Fact]
    public void ReadsBed3ToBed6PlusAndSkipsCommentsAndTrackLines()
    {
        var r = Parse("# comment\ntrack name=x\nbrowser position chrI\nchrI\t10\t20\n\nchrI\t5\t9\tPAU8\t0\t-\tx\ty\nchrM 1 4 a . +\n");
        Assert.Equal(3, r.Count);
        Assert.Equal(new BedRecord("chrI", 10, 20, LineNumber: 4, ExtraFields: []), r[0]);
        Assert.Equal("PAU8", r[1].Name);
        Assert.Equal(0.0, r[1].Score);
        Assert.Equal(Strand.Minus, r[1].Strand);
        Assert.Equal(["x", "y"], r[1].ExtraFields!);
        Assert.Equal(8, r[1].FivePrimeBase);
        Assert.Equal(6, r[1].LineNumber);
        Assert.Null(r[2].Score);
        Assert.Equal(Strand.Plus, r[2].Strand);
    }

    [Theory]
    [InlineData("chrI\t10\n", "genes.bed:1:", "chromEnd")]
    [InlineData("chrI\t1\t2\nchrI\tx\t20\n", "genes.bed:2:", "chromStart 'x'")]
    [InlineData("chrI\t-5\t20\n", "genes.bed:1:", "chromStart '-5'")]
    [InlineData("chrI\t30\t20\n", "genes.bed:1:", "chromEnd 20 is smaller than chromStart 30")]
    [InlineData("chrI\t1\t20\tg\tbad\n", "genes.bed:1:", "score 'bad'")]
    [InlineData("#c\nchrI\t1\t20\tg\t0\t*\n", "genes.bed:2:", "strand '*'")]
    public void MalformedLinesNameLineAndColumn(string text, string where, string what)
    {
        var e = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.StartsWith(where, e.Message);
        Assert.Contains(what, e.Message);
        Assert.NotNull(e.Field);
        Assert.Contains(e.Field!, e.Message);
    }
}
