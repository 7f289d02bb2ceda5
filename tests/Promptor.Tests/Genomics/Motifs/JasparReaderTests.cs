using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class JasparReaderTests
{
    private const string Two = """
        >MA0004.1	Arnt
        A  [ 4 19  0  0  0  0 ]
        C  [16  0 20  0  0  0 ]
        G  [ 0  1  0 20  0 20 ]
        T  [ 0  0  0  0 20  0 ]
        >MA0006.1 Ahr::Arnt
        T [ 0 0 ]
        G [ 0 23 ]
        C [ 0 0 ]
        A [ 23 0 ]
        """;

    private static IReadOnlyList<Motif> Parse(string text, float pseudocount = 0) => JasparReader.Read(new StringReader(text), "m.jaspar", pseudocount);

    [Fact]
    public void ReadsCountsInAnyRowOrder()
    {
        var motifs = Parse(Two);
        Assert.Equal(["MA0004.1", "MA0006.1"], motifs.Select(m => m.Id));
        Assert.Equal(["Arnt", "Ahr::Arnt"], motifs.Select(m => m.Name));
        Assert.Equal("CACGTG", motifs[0].Consensus());
        Assert.Equal(0.2f, motifs[0][0, 0]);
        Assert.Equal(20, motifs[0].Sites);
        Assert.Equal("AG", motifs[1].Consensus());
        Assert.Equal(1f / 27, Parse(Two, pseudocount: 1)[1][0, 1], 6); // (0 + 1) / (23 + 4)
    }

    [Fact]
    public void PlainPfmRowsWithoutLettersAreACGT()
    {
        var m = Assert.Single(Parse(">x\n1 0\n0 0\n0 3\n0 0\n"));
        Assert.Equal("AG", m.Consensus());
    }

    [Fact]
    public void AgreesWithTheTransfacFileOfTheSameMatrices()
    {
        // The bundled JASPAR TRANSFAC file, rewritten in .jaspar layout, reads back to the same matrices.
        var transfac = TransfacReader.Read(BundledData.PathOf("motifs/JASPAR2024_CORE_fungi_non-redundant_pfms_transfac.txt"));
        var text = new StringWriter();
        foreach (var m in transfac.Take(20))
        {
            text.WriteLine($">{m.Id}\t{m.Name}");
            for (int b = 0; b < 4; b++)
            {
                var counts = Enumerable.Range(0, m.Width).Select(w => (m[w, b] * 1000).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
                text.WriteLine($"{"ACGT"[b]}  [ {string.Join(' ', counts)} ]");
            }
        }
        var jaspar = Parse(text.ToString());
        Assert.Equal(transfac.Take(20).Select(m => (m.Id, m.Name, m.Width)), jaspar.Select(m => (m.Id, m.Name, m.Width)));
        foreach (var (a, b) in transfac.Zip(jaspar))
        {
            for (int i = 0; i < a.Probabilities.Length; i++)
            {
                Assert.Equal(a.Probabilities[i], b.Probabilities[i], 4);
            }
        }
    }

    [Theory]
    [InlineData("", "m.jaspar: file is empty")]
    [InlineData("A [ 1 2 ]\n", "m.jaspar:1: count row before any '>id name' header")]
    [InlineData(">x\nA [ 1 2 ]\nC [ 1 ]\n", "m.jaspar:3: matrix 'x' row C: 1 counts, but earlier rows have 2")]
    [InlineData(">x\nA [ 1 ]\nC [ 1 ]\nG [ 1 ]\n", "m.jaspar:4: matrix 'x' has 3 base rows, expected 4")]
    [InlineData(">x\nA [ 1 ]\nA [ 1 ]\n", "m.jaspar:3: matrix 'x': base A appears twice")]
    [InlineData(">x\nA [ -1 ]\n", "m.jaspar:2: matrix 'x' row A: count '-1' is not a non-negative number")]
    [InlineData(">x\nU [ 1 ]\n", "m.jaspar:2: matrix 'x': row label 'U' is not one of A, C, G, T")]
    [InlineData(">x\nA [0]\nC [0]\nG [0]\nT [0]\n", "m.jaspar:1: matrix 'x' column 1: all counts are 0")]
    [InlineData(">x\nA [1]\nC [0]\nG [0]\nT [0]\n>x\n", "m.jaspar:6: duplicate matrix id 'x' (first on line 1)")]
    public void MalformedFilesNameTheLine(string text, string message)
    {
        var ex = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.StartsWith(message, ex.Message);
    }
}
