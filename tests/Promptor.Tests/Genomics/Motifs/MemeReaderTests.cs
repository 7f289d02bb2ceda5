using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class MemeReaderTests
{
    private const string Good = """
        MEME version 4

        ALPHABET= ACGT

        strands: + -

        Background letter frequencies (from uniform background):
        A 0.30000 C 0.20000 G 0.20000 T 0.30000

        MOTIF MSN2 Msn2p

        log-odds matrix: alength= 4 w= 2 E= 0
          100 -200 -200 -200
          -200 -200 100 -200

        letter-probability matrix: alength= 4 w= 2 nsites= 65 E= 0
          0.9 0.0 0.1 0.0
          0.0 0.0 1.0 0.0
        URL http://example.org

        MOTIF YAP1
        letter-probability matrix: alength= 4 w= 3 nsites= 42 E= 0
         0 0 0 1
         0 0 0 1
         1 0 0 0
        """;

    private static MemeFile Parse(string text) => MemeReader.Read(new StringReader(text), "motifs.meme");

    [Fact]
    public void ReadsMotifsBackgroundAndSkipsLogOdds()
    {
        var f = Parse(Good);
        Assert.Equal([0.3f, 0.2f, 0.2f, 0.3f], f.Background);
        Assert.Equal(["MSN2", "YAP1"], f.Motifs.Select(m => m.Id));
        Assert.Equal("Msn2p", f.Motifs[0].Name);
        Assert.Equal(65, f.Motifs[0].Sites);
        Assert.Equal(0.9f, f.Motifs[0][0, 0]);
        Assert.Equal("TTA", f.Motifs[1].Consensus());
    }

    [Theory]
    [InlineData("MOTIF X\n", "motifs.meme:1: not a MEME motif file", "MEME version")]
    [InlineData("MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n", "motifs.meme:2: alphabet", "ALPHABET")]
    [InlineData("MEME version 4\nMOTIF A\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n0.5 0.5 x 0\n", "motifs.meme:5: motif 'A' row 2: 'x' is not a probability", "A")]
    [InlineData("MEME version 4\nMOTIF A\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\nMOTIF B\n", "motifs.meme:5: motif 'A': expected 2 rows", "A")]
    [InlineData("MEME version 4\nMOTIF A\nletter-probability matrix: alength= 4 w= 1\n0.9 0.9 0 0\n", "motifs.meme:4: motif 'A' row 1: probabilities sum to 1.8", "A")]
    [InlineData("MEME version 4\nMOTIF A\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0\n", "motifs.meme:4: motif 'A' row 1: expected 4 probabilities, found 3", "A")]
    [InlineData("MEME version 4\nMOTIF A\n\nMOTIF B\nletter-probability matrix: w= 1\n1 0 0 0\n", "motifs.meme:2: motif 'A' has no letter-probability matrix", "A")]
    [InlineData("MEME version 4\nMOTIF A\nletter-probability matrix: w= 1\n1 0 0 0\nMOTIF A\n", "motifs.meme:5: duplicate motif id 'A' (first on line 2)", "A")]
    [InlineData("MEME version 4\nALPHABET= ACGT\n", "motifs.meme:2: no motifs", "MOTIF")]
    public void MalformedFilesNameLineAndField(string text, string message, string field)
    {
        var e = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.StartsWith(message, e.Message);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void BundledYeastFileHasTheStressRegulators()
    {
        var f = MemeReader.Read(BundledData.PathOf("motifs/SwissRegulon_s_cer.meme"));
        Assert.Equal(158, f.Motifs.Count);
        var ids = f.Motifs.Select(m => m.Id).ToHashSet();
        Assert.Superset(new HashSet<string> { "MSN2", "MSN4", "YAP1", "PBF1", "PBF2", "STB3", "SFP1", "HSF1" }, ids);
        Assert.Contains("AGGGG", f.Motifs.Single(m => m.Id == "MSN2").Consensus(), StringComparison.Ordinal);
        Assert.Contains("TTA", f.Motifs.Single(m => m.Id == "YAP1").Consensus(), StringComparison.Ordinal);
    }

    [Fact]
    public void WriterRoundTrip()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.meme");
        var motifs = new[] { BuiltInMotifs.Stre, BuiltInMotifs.Hse };
        MemeWriter.Write(path, motifs, [0.3f, 0.2f, 0.2f, 0.3f]);
        var back = MemeReader.Read(path);
        Assert.Equal(["STRE", "HSE"], back.Motifs.Select(m => m.Id));
        Assert.Equal("Msn2/Msn4", back.Motifs[0].Name);
        Assert.Equal(motifs[1].Consensus(), back.Motifs[1].Consensus());
        for (int i = 0; i < motifs[0].Probabilities.Length; i++)
        {
            Assert.Equal(motifs[0].Probabilities[i], back.Motifs[0].Probabilities[i], 5);
        }
    }
}
