using Promptor.Genomics.Generative;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.Generative;

public class SmilesCorpusTests
{
    [Fact]
    public void ReadsTheSmilesColumnOfACsv()
    {
        using var temp = new TempDirectory();
        string path = temp.File("m.csv");
        File.WriteAllText(path, "NR-AR,mol_id,smiles\n1.0,TOX1,CCO\n,TOX2,c1ccccc1\n");
        Assert.Equal(["CCO", "c1ccccc1"], SmilesCorpus.Read(path));
    }

    [Fact]
    public void ReadsOneSmilesPerLineWithOptionalNames()
    {
        using var temp = new TempDirectory();
        string path = temp.File("m.smi");
        File.WriteAllText(path, "CCO ethanol\n\nC(=O)O\tformic\nN\n");
        Assert.Equal(["CCO", "C(=O)O", "N"], SmilesCorpus.Read(path));
    }

    [Fact]
    public void ShortRowNamesFileLineAndField()
    {
        using var temp = new TempDirectory();
        string path = temp.File("m.csv");
        File.WriteAllText(path, "a,smiles\n1,CCO\n2\n");
        var e = Assert.Throws<DataFormatException>(() => SmilesCorpus.Read(path));
        Assert.Contains("m.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
        Assert.Contains("smiles", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowsCutLongSequences()
    {
        Assert.Equal(["ACGTA", "CGTAC", "GTA"], SequenceWindows.Cut(["ACGTACGTACGTA"], 5, minLength: 3));
        Assert.Equal(["ACGTAC", "GTACGT"], SequenceWindows.Cut(["ACGTACGTACGTA"], 6));   // 1 base left over < 6/2
    }
}
