using Promptor.Genomics.Data;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.Data;

public class ExpressionTableReaderTests
{
    private static ExpressionTable Wide(string text, string name = "expr.tsv", WideTableOptions? options = null) =>
        ExpressionTableReader.ReadWide(new StringReader(text), name, options);

    private static ExpressionTable Long(string text, string name = "expr.tsv") =>
        ExpressionTableReader.ReadLong(new StringReader(text), name);

    [Fact]
    public void WideTsvMasksMissingValuesInsteadOfZeros()
    {
        var t = Wide("gene\theat\tacid\nYAL001C\t1.5\tNA\nYAL002W\t\t-2\nYAL003W\tNaN\t0\n");
        Assert.Equal(["YAL001C", "YAL002W", "YAL003W"], t.GeneIds);
        Assert.Equal(["heat", "acid"], t.Conditions);
        Assert.Equal(1.5f, t[0, 0]);
        Assert.False(t.IsObserved(0, 1));
        Assert.True(float.IsNaN(t[0, 1]));
        Assert.False(t.IsObserved(1, 0));
        Assert.False(t.IsObserved(2, 0));
        Assert.True(t.IsObserved(2, 1)); // a real zero stays observed
        Assert.Equal(0f, t["YAL003W", "acid"]);
        Assert.Equal(3, t.ObservedCount);
    }

    [Fact]
    public void WideCsvWithQuotesGeneColumnAndIgnoredColumns()
    {
        var t = Wide("name,orf,\"heat, 15'\",acid\nTFC3,YAL001C,1,2\nVPS8,YAL002W,3,4\n", "expr.csv",
            new WideTableOptions { GeneColumn = "orf", IgnoredColumns = ["name"] });
        Assert.Equal(["YAL001C", "YAL002W"], t.GeneIds);
        Assert.Equal(["heat, 15'", "acid"], t.Conditions);
        Assert.Equal(4f, t[1, 1]);
    }

    [Fact]
    public void LongTableFillsMissingPairsWithMask()
    {
        var t = Long("condition\tgene\tvalue\nheat\tA\t1\nacid\tA\t2\nheat\tB\t3\nacid\tC\tNA\nheat\tC\t5\n");
        Assert.Equal(["A", "B", "C"], t.GeneIds);
        Assert.Equal(["heat", "acid"], t.Conditions);
        Assert.Equal(3f, t["B", "heat"]);
        Assert.False(t.IsObserved(1, 1));
        Assert.False(t.IsObserved(2, 1));
        Assert.Equal(5f, t["C", "heat"]);
    }

    [Theory]
    [InlineData("gene\theat\nA\t1\nB\tabc\n", "expr.tsv:3: non-numeric value 'abc' in column 'heat'")]
    [InlineData("gene\theat\nA\t1\nB\tInf\n", "expr.tsv:3: non-finite value 'Inf' in column 'heat'")]
    [InlineData("gene\theat\nA\t1\nB\t2\nA\t3\n", "expr.tsv:4: duplicate gene 'A' in column 'gene' (first on line 2)")]
    [InlineData("gene\theat\nA\t1\t2\n", "expr.tsv:2: expected 2 fields like the header, found 3")]
    [InlineData("gene\theat\tacid\nA\t1\tNA\nB\t2\t\n", "expr.tsv:1: condition 'acid' has no values")]
    [InlineData("gene\theat\theat\nA\t1\t2\n", "expr.tsv:1: duplicate column name 'heat'")]
    [InlineData("gene\theat\n\t1\n", "expr.tsv:2: empty gene id in column 'gene'")]
    [InlineData("", "expr.tsv: file is empty")]
    public void MalformedWideTablesNameFileLineAndColumn(string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<DataFormatException>(() => Wide(text)).Message);

    [Theory]
    [InlineData("gene\tcondition\tvalue\nA\theat\t1\nA\theat\t2\n", "expr.tsv:3: duplicate gene 'A' under condition 'heat' (first on line 2)")]
    [InlineData("gene\ttreatment\tvalue\nA\theat\t1\n", "expr.tsv:1: no condition column 'condition'")]
    [InlineData("gene\tcondition\tvalue\nA\theat\tx1\n", "expr.tsv:2: non-numeric value 'x1' in column 'value'")]
    public void MalformedLongTablesNameFileLineAndColumn(string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<DataFormatException>(() => Long(text)).Message);

    [Fact]
    public void WriterRoundTripsWideAndLongThroughGzip()
    {
        using var dir = new TempDirectory();
        var t = new ExpressionTable(["g1", "g2"], ["a", "b c"], [1.25f, float.NaN, -3f, 1e-7f]);
        string wide = dir.File("t.tsv.gz");
        ExpressionTableWriter.WriteWide(wide, t);
        var back = ExpressionTableReader.ReadWide(wide);
        Assert.Equal(t.GeneIds, back.GeneIds);
        Assert.Equal(t.Conditions, back.Conditions);
        Assert.Equal(t.Values.ToArray(), back.Values.ToArray());
        Assert.Equal(t.Observed.ToArray(), back.Observed.ToArray());
        string longPath = dir.File("t.csv");
        ExpressionTableWriter.WriteLong(longPath, t);
        var backLong = ExpressionTableReader.ReadLong(longPath);
        Assert.Equal(t.Values.ToArray(), backLong.Values.ToArray());
    }
}
