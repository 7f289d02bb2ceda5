using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class ImportanceTrackReaderTests
{
    private static IReadOnlyList<ImportanceTrack> Parse(string text) => ImportanceTrackReader.Read(new StringReader(text), "tracks.tsv");

    [Fact]
    public void ReadsGeneTreatmentAndValues()
    {
        var tracks = Parse("gene\ttreatment\tp0\tp1\tp2\nYAL001C\theat\t0.1\t0.2\t-3e-1\nYAL001C\tcold\t1\t2\t3\n");
        Assert.Equal([("YAL001C", "heat", 2), ("YAL001C", "cold", 3)], tracks.Select(t => (t.Gene, t.Treatment, t.LineNumber)));
        Assert.Equal([0.1f, 0.2f, -0.3f], tracks[0].Values);
    }

    [Theory]
    [InlineData("", "tracks.tsv: track file is empty")]
    [InlineData("id\ttreatment\tp0\n", "tracks.tsv:1: header must start with the columns 'gene' and 'treatment'")]
    [InlineData("gene\ttreatment\tp0\tp1\ng\th\t1\n", "tracks.tsv:2: 3 fields, but the header has 4")]
    [InlineData("gene\ttreatment\tp0\tp1\ng\th\t1\tx\n", "tracks.tsv:2: column 'p1': 'x' is not a finite number")]
    [InlineData("gene\ttreatment\tp0\ng\th\t1\ng\th\t2\n", "tracks.tsv:3: duplicate track for gene 'g' and treatment 'h' (first on line 2)")]
    [InlineData("gene\ttreatment\tp0\n", "tracks.tsv:1: no tracks after the header")]
    public void MalformedTablesNameLineAndColumn(string text, string message)
    {
        var ex = Assert.Throws<DataFormatException>(() => Parse(text));
        Assert.StartsWith(message, ex.Message);
    }
}
