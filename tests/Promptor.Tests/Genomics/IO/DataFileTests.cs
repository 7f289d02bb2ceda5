using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.IO;

public class DataFileTests
{
    [Fact]
    public void FailedAtomicWriteLeavesTheOldFileAndNoTemporary()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("table.tsv", "old");
        Assert.Throws<InvalidOperationException>(() => DataFile.WriteTextAtomic(path, w =>
        {
            w.Write("partial");
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
        DataFile.WriteTextAtomic(path, w => w.Write("new"));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void SplitsQuotedFields()
    {
        Assert.Equal(["a", "b,c", "d\"e", ""], DelimitedText.Split("a,\"b,c\",\"d\"\"e\",", ','));
        Assert.Null(DelimitedText.Split("a,\"b", ','));
        Assert.Equal('\t', DelimitedText.DelimiterFromPath("x.tsv.gz"));
        Assert.Equal(',', DelimitedText.DelimiterFromPath("x.CSV"));
    }
}
