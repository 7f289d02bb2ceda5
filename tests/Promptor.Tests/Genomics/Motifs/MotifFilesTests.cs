using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class MotifFilesTests
{
    [Fact]
    public void DetectsEachFormatFromItsContent()
    {
        using var temp = new TempDirectory();
        string meme = temp.File("a.txt");
        MemeWriter.Write(meme, [BuiltInMotifs.Stre, BuiltInMotifs.Yre]);
        string jaspar = temp.Write("b.txt", ">MA1 x\nA [1 0]\nC [0 0]\nG [0 1]\nT [0 0]\n");
        string transfac = BundledData.PathOf("motifs/JASPAR2024_CORE_fungi_non-redundant_pfms_transfac.txt");

        Assert.Equal(MotifFormat.Meme, MotifFiles.DetectFormat(meme));
        Assert.Equal(MotifFormat.Jaspar, MotifFiles.DetectFormat(jaspar));
        Assert.Equal(MotifFormat.Transfac, MotifFiles.DetectFormat(transfac));
        Assert.Equal(["STRE", "YRE"], MotifFiles.Read(meme).Select(m => m.Id));
        Assert.Equal("AG", Assert.Single(MotifFiles.Read(jaspar)).Consensus());
        Assert.Equal(178, MotifFiles.Read(transfac).Count);
    }

    [Fact]
    public void EmptyFilesAreRejectedWithTheirName()
    {
        using var temp = new TempDirectory();
        string empty = temp.Write("empty.meme", "\n  \n");
        var ex = Assert.Throws<DataFormatException>(() => MotifFiles.Read(empty));
        Assert.Equal($"{empty}: motif file is empty", ex.Message);
    }

    [Fact]
    public void MemeRoundTripKeepsMatricesAndRejectsRowsNotSummingToOne()
    {
        using var temp = new TempDirectory();
        string path = temp.File("m.meme");
        MemeWriter.Write(path, BuiltInMotifs.All);
        var back = MemeReader.Read(path).Motifs;
        Assert.Equal(BuiltInMotifs.All.Select(m => (m.Id, m.Name, m.Consensus())), back.Select(m => (m.Id, m.Name, m.Consensus())));
        Assert.All(BuiltInMotifs.All.Zip(back), p => Assert.Equal(p.First.Probabilities.ToArray(), p.Second.Probabilities.ToArray(), (x, y) => Math.Abs(x - y) < 1e-6f));

        string bad = temp.Write("bad.meme", "MEME version 4\n\nMOTIF X\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n0.5 0.3 0.3 0.3\n");
        var ex = Assert.Throws<DataFormatException>(() => MotifFiles.Read(bad));
        Assert.Equal($"{bad}:6: motif 'X' row 2: probabilities sum to 1.4, not 1", ex.Message);
    }
}
