using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class TransfacReaderTests
{
    private static IReadOnlyList<Motif> Parse(string text, float pseudocount = 0f) =>
        TransfacReader.Read(new StringReader(text), "jaspar.txt", pseudocount);

    [Fact]
    public void CountsBecomeProbabilities()
    {
        var m = Parse("AC MA0001.1\nXX\nID ABC1\nXX\nPO\tA\tC\tG\tT\n01\t3\t1\t0\t0\n02\t0\t0\t0\t4\nXX\nCC tax_group:fungi\n//\n");
        var motif = Assert.Single(m);
        Assert.Equal("MA0001.1", motif.Id);
        Assert.Equal("ABC1", motif.Name);
        Assert.Equal(0.75f, motif[0, 0]);
        Assert.Equal(1f, motif[1, 3]);
        Assert.Equal(4, motif.Sites);
        var smoothed = Assert.Single(Parse("AC X\nP0 T G C A\n01 4 0 0 0\n//\n", pseudocount: 1f));
        Assert.Equal(5f / 8, smoothed[0, 3]); // columns follow the header order
    }

    [Theory]
    [InlineData("AC X\n01 1 2 3 4\n//\n", "jaspar.txt:2: count row '01' before the PO/P0 header", "PO")]
    [InlineData("AC X\nPO A C G T\n01 1 2 x 4\n//\n", "jaspar.txt:3: matrix 'X' row 01: count 'x'", "X")]
    [InlineData("AC X\nPO A C G T\n01 1 2 3\n//\n", "jaspar.txt:3: matrix 'X' row 01: expected 4 counts", "X")]
    [InlineData("AC X\nPO A C G T\n01 0 0 0 0\n//\n", "jaspar.txt:3: matrix 'X' row 01: all counts are 0", "X")]
    [InlineData("AC X\nPO A C G U\n", "jaspar.txt:2: PO header column 'U'", "PO")]
    [InlineData("AC X\nID Y\n//\n", "jaspar.txt:1: record 'X' has no count matrix", "X")]
    [InlineData("AC X\nPO A C G T\n01 1 0 0 0\n//\nAC X\nPO A C G T\n01 1 0 0 0\n//\n", "jaspar.txt:5: duplicate matrix id 'X' (first on line 1)", "X")]
    [InlineData("", "jaspar.txt: file is empty", "PO")]
    public void MalformedFilesNameLineAndField(string text, string message, string field)
    {
        var e = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.StartsWith(message, e.Message);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void BundledJasparFungiHasTheStressRegulators()
    {
        var motifs = TransfacReader.Read(BundledData.PathOf("motifs/JASPAR2024_CORE_fungi_non-redundant_pfms_transfac.txt"));
        Assert.Equal(178, motifs.Count);
        var names = motifs.Select(m => m.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "MSN2", "MSN4", "YAP1", "HSF1", "SKO1" }, names);
        Assert.All(motifs, m => Assert.StartsWith("MA", m.Id));
    }
}
