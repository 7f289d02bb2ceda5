using System.Text;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class NpyTrackReaderTests
{
    private static readonly FastaRecord[] Genes = [new("g1", "", "ACGTA"), new("g2", "", "TTGCA"), new("g3", "", "GGGCC")];

    /// <summary>value = 100 g + 10 t + i, so every value tells where it came from.</summary>
    private static float[] Coded(int genes, int treatments, int length) =>
        Enumerable.Range(0, genes * treatments * length).Select(k => (float)(100 * (k / (treatments * length)) + 10 * (k / length % treatments) + k % length)).ToArray();

    [Fact]
    public void StackedArrayIsReadGeneByGeneInFastaOrder()
    {
        using var temp = new TempDirectory();
        string path = temp.File("tracks.npy");
        NpyWriter.Write(path, [3, 2, 5], Coded(3, 2, 5));

        var tracks = NpyTrackReader.ReadStacked(path, Genes, ["heat", "acid"]);

        Assert.Equal(6, tracks.Count);
        Assert.Equal(["g1/heat", "g1/acid", "g2/heat", "g2/acid", "g3/heat", "g3/acid"], tracks.Select(t => $"{t.Gene}/{t.Treatment}"));
        Assert.Equal([210f, 211f, 212f, 213f, 214f], tracks[5].Values);
        Assert.Equal([0f, 1f, 2f, 3f, 4f], tracks[0].Values);
    }

    [Fact]
    public void TwoDimensionalArrayIsOneTreatment()
    {
        using var temp = new TempDirectory();
        string path = temp.File("tracks.npy");
        NpyWriter.Write(path, [3, 5], Coded(3, 1, 5));

        var tracks = NpyTrackReader.ReadStacked(path, Genes, ["ism"]);

        Assert.Equal(["ism", "ism", "ism"], tracks.Select(t => t.Treatment));
        Assert.Equal([100f, 101f, 102f, 103f, 104f], tracks[1].Values);
    }

    [Fact]
    public void PerGeneMapUsesTheHeadAverageSlot()
    {
        using var temp = new TempDirectory();
        string path = temp.File("g2.npy");
        // (treatments 2, slots 3 = two heads + mean, 5 bp): value = 10 t + slot + 0.1 i.
        var data = Enumerable.Range(0, 30).Select(k => 10 * (k / 15) + k / 5 % 3 + 0.1f * (k % 5)).ToArray();
        NpyWriter.Write(path, [2, 3, 5], data);

        var tracks = NpyTrackReader.ReadGene(path, Genes[1], ["heat", "acid"]);

        Assert.Equal(["heat", "acid"], tracks.Select(t => t.Treatment));
        Assert.All(tracks, t => Assert.Equal("g2", t.Gene));
        Assert.Equal(new[] { 2f, 2.1f, 2.2f, 2.3f, 2.4f }, tracks[0].Values, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(new[] { 12f, 12.1f, 12.2f, 12.3f, 12.4f }, tracks[1].Values, (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Theory]
    [InlineData(new[] { 2, 2, 5 }, "shape (2, 2, 5) holds 2 genes but the sequences are 3", "shape")]
    [InlineData(new[] { 3, 3, 5 }, "shape (3, 3, 5) holds 3 treatments but 2 treatment names were given (heat, acid)", "shape")]
    [InlineData(new[] { 3, 2, 6 }, "shape (3, 2, 6) has 6 values per track but gene 'g1' has 5 bases", "shape")]
    [InlineData(new[] { 30 }, "shape (30,) has 1 dimensions; expected (genes, treatments, bases) or (genes, bases)", "shape")]
    public void ShapesThatDoNotFitNameFileAndField(int[] shape, string message, string field)
    {
        using var temp = new TempDirectory();
        string path = temp.File("tracks.npy");
        NpyWriter.Write(path, shape, new float[shape.Aggregate(1, (a, b) => a * b)]);

        var e = Assert.Throws<DataFormatException>(() => NpyTrackReader.ReadStacked(path, Genes, ["heat", "acid"]));

        Assert.Equal($"{path}: {message}", e.Message);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void WrongElementTypeAndNonFiniteValuesAreRefused()
    {
        using var temp = new TempDirectory();
        string doubles = temp.File("f8.npy");
        var header = NpyWriter.Header([3, 5]);
        Encoding.ASCII.GetBytes("<f8").CopyTo(header, Encoding.ASCII.GetString(header).IndexOf("<f4", StringComparison.Ordinal));
        File.WriteAllBytes(doubles, [.. header, .. new byte[3 * 5 * 8]]);
        string nan = temp.File("nan.npy");
        var data = new float[15];
        data[7] = float.NaN;
        NpyWriter.Write(nan, [3, 5], data);

        var type = Assert.Throws<DataFormatException>(() => NpyTrackReader.ReadStacked(doubles, Genes, ["ism"]));
        var value = Assert.Throws<DataFormatException>(() => NpyTrackReader.ReadStacked(nan, Genes, ["ism"]));
        var gene = Assert.Throws<DataFormatException>(() => NpyTrackReader.ReadGene(nan, Genes[0], ["ism"]));

        Assert.Equal($"{doubles}: element type '<f8' is not supported; expected little-endian float32 '<f4'", type.Message);
        Assert.Equal("descr", type.Field);
        Assert.Equal($"{nan}: gene 'g2', treatment 'ism', base 2: NaN is not a finite number", value.Message);
        Assert.Equal("data", value.Field);
        Assert.Equal($"{nan}: shape (3, 5) holds 3 treatments but 1 treatment name was given (ism)", gene.Message);
    }
}
