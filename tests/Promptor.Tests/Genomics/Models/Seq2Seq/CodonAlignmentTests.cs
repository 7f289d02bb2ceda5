using Promptor.Genomics.Models.Seq2Seq;

namespace Promptor.Tests.Genomics.Models.Seq2Seq;

public class CodonAlignmentTests
{
    [Fact]
    public void CountsRowsWhoseMaximumIsInTheirCodon()
    {
        var map = new double[3, 9];
        map[0, 1] = 1;      // residue 0 → base 1: inside codon 0 (bases 0–2)
        map[1, 6] = 1;      // residue 1 → base 6: codon 2, outside
        map[2, 8] = 0.5;    // residue 2 → base 8: inside codon 2 (bases 6–8)
        map[2, 0] = 0.4;
        Assert.Equal(2, CodonAlignment.InsideCodonCount(map, 3));
        Assert.Equal(1, CodonAlignment.InsideCodonCount(map, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodonAlignment.InsideCodonCount(map, 4));
    }

    [Fact]
    public void HeadMeanAveragesHeads()
    {
        var layer = Promptor.Tensors.Tensor.FromArray([1, 0, 0, 1, /* head 2 */ 0, 1, 0, 1], 2, 2, 2);
        var mean = CodonAlignment.HeadMean(layer);
        Assert.Equal(new double[,] { { 0.5, 0.5 }, { 0, 1 } }, mean);
        Assert.Equal(new double[,] { { 0, 1 }, { 0, 1 } }, CodonAlignment.Head(layer, 1));
    }

    [Fact]
    public void DrawsOneCellPerResidueAndBase()
    {
        var map = new double[3, 6];
        map[0, 0] = map[1, 4] = 1;
        string svg = CodonAlignment.Draw(map, residues: 2, "test map").ToString();
        Assert.StartsWith("<svg", svg.TrimStart().Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "", StringComparison.Ordinal).TrimStart(), StringComparison.Ordinal);
        Assert.Contains("test map", svg, StringComparison.Ordinal);
        int cells = svg.Split("<g class=\"cells\"")[1].Split("</g>")[0].Split("<rect").Length - 1;
        Assert.Equal(2 * 6, cells);
    }
}
