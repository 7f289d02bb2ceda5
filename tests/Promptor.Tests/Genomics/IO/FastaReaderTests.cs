using System.IO.Compression;
using System.Text;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.IO;

public class FastaReaderTests
{
    private static IReadOnlyList<FastaRecord> Parse(string text, bool keepCase = false) =>
        FastaReader.Read(new StringReader(text), "promoters.fa", keepCase);

    private static DataFormatException Fails(string text) =>
        Assert.Throws<DataFormatException>(() => Parse(text));

    [Fact]
    public void ReadsMultiLineRecordsWithDescriptionsAndSoftMasking()
    {
        var r = Parse(">YAL001C gene=TFC3 loc=chrI:1-8(-)\nACGT\nacgn\n\n>b\r\nNNRY\r\n");
        Assert.Equal(2, r.Count);
        Assert.Equal("YAL001C", r[0].Id);
        Assert.Equal("gene=TFC3 loc=chrI:1-8(-)", r[0].Description);
        Assert.Equal("ACGTACGN", r[0].Sequence);
        Assert.Equal("", r[1].Description);
        Assert.Equal("NNRY", r[1].Sequence);
        Assert.Equal("ACGTacgn", Parse(">a\nACGT\nacgn\n", keepCase: true)[0].Sequence);
    }

    [Fact]
    public void IllegalCharacterNamesFileLineAndRecord()
    {
        var e = Fails(">YAL001C\nACGT\nACXT\n");
        Assert.Equal("promoters.fa:3: illegal character 'X' (column 3) in sequence of record 'YAL001C'", e.Message);
        Assert.Equal(3, e.LineNumber);
        Assert.Equal("YAL001C", e.Field);
    }

    [Fact]
    public void EmptyFileIsAnError()
    {
        Assert.Contains("promoters.fa: file is empty", Fails("").Message);
        Assert.Contains("promoters.fa:1: no FASTA records", Fails("\n\n").Message);
    }

    [Fact]
    public void SequenceBeforeHeaderIsAnError()
    {
        var e = Fails("\nACGT\n>a\nACGT\n");
        Assert.StartsWith("promoters.fa:2:", e.Message);
        Assert.Contains("before the first '>' header", e.Message);
    }

    [Fact]
    public void EmptyRecordIsAnError()
    {
        var e = Fails(">a\nACGT\n>b\n\n>c\nAC\n");
        Assert.StartsWith("promoters.fa:3:", e.Message);
        Assert.Contains("record 'b' has no sequence", e.Message);
        Assert.StartsWith("promoters.fa:1:", Fails(">a\n").Message);
    }

    [Fact]
    public void DuplicateIdIsAnError()
    {
        var e = Fails(">a x\nACGT\n>b\nAC\n>a y\nGG\n");
        Assert.StartsWith("promoters.fa:5:", e.Message);
        Assert.Contains("duplicate record id 'a' (first seen on line 1)", e.Message);
    }

    [Fact]
    public void HeaderWithoutIdIsAnError()
    {
        Assert.StartsWith("promoters.fa:1: header line has no record id", Fails("> \nACGT\n").Message);
    }

    [Fact]
    public void ReadsGzipAndMultiMemberGzipLikeBgzip()
    {
        using var dir = new TempDirectory();
        string path = dir.File("two-members.fa.gz");
        using (var file = File.Create(path))
        {
            foreach (var part in new[] { ">chrI\nACGT\nAC", "GT\n>chrM\nTTTT\n" })
            {
                using var gz = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
                gz.Write(Encoding.ASCII.GetBytes(part));
            }
        }
        var records = FastaReader.Read(path);
        Assert.Equal(["chrI", "chrM"], records.Select(r => r.Id));
        Assert.Equal("ACGTACGT", records[0].Sequence);
        Assert.Equal("TTTT", records[1].Sequence);
    }

    [Fact]
    public void GzipRoundTripThroughTheWriter()
    {
        using var dir = new TempDirectory();
        string path = dir.File("out.fa.gz");
        var records = new[] { new FastaRecord("a", "desc here", new string('A', 130) + "CGTN"), new FastaRecord("b", "", "GG") };
        FastaWriter.Write(path, records, lineWidth: 60);
        using (var raw = File.OpenRead(path))
        {
            Assert.Equal(0x1f, raw.ReadByte()); // really gzip
        }
        Assert.Equal(records, FastaReader.Read(path));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp")); // atomic write left no temporary file
    }
}
