using System.Text;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.IO;

public class NpyTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "npy", name);

    private static byte[] Bytes(int[] shape, float[] data)
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, shape, data);
        return stream.ToArray();
    }

    [Fact]
    public void HeaderBytesAreNumpys()
    {
        var header = NpyWriter.Header([2, 3]);

        Assert.Equal(128, header.Length);            // 10-byte preamble + dict + padding, a multiple of 64
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }, header[..10]);
        string dict = Encoding.ASCII.GetString(header, 10, 118);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + new string(' ', 58) + "\n", dict);
        Assert.Contains("'shape': (7,), }", Encoding.ASCII.GetString(NpyWriter.Header([7])));
        Assert.Contains("'shape': (), }", Encoding.ASCII.GetString(NpyWriter.Header([])));
    }

    [Fact]
    public void WriterReproducesNumpySaveByteForByte()
    {
        var numpy = File.ReadAllBytes(Fixture("numpy_2x3x4_f4.npy"));
        var expected = NpyReader.Read(Fixture("numpy_2x3x4_f4.npy"));

        Assert.Equal(numpy, Bytes([.. expected.Shape], expected.Data));
        Assert.Equal(File.ReadAllBytes(Fixture("numpy_scalar_f4.npy")), Bytes([], [3.5f]));
        Assert.Equal(File.ReadAllBytes(Fixture("numpy_empty_f4.npy")), Bytes([0, 5], []));
    }

    [Fact]
    public void ReaderReadsNumpysValuesInCOrder()
    {
        var a = NpyReader.Read(Fixture("numpy_2x3x4_f4.npy"));

        Assert.Equal([2, 3, 4], a.Shape);
        Assert.Equal(-1f, a.Data[0]);
        Assert.True(float.IsNegative(a.Data[1]) && a.Data[1] == 0f);   // a[0, 0, 1] = −0.0
        Assert.Equal(5 / 8f - 1, a.Data[5]);                              // a[0, 1, 1]
        Assert.Equal(1e-30f, a.Data[23]);                                 // a[1, 2, 3]
        Assert.Equal(3.5f, Assert.Single(NpyReader.Read(Fixture("numpy_scalar_f4.npy")).Data));
    }

    [Fact]
    public void RoundTripThroughAFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("maps.npy");
        var data = Enumerable.Range(0, 60).Select(i => MathF.Sin(i) * 1e3f).ToArray();

        NpyWriter.Write(path, [3, 4, 5], data);
        var back = NpyReader.Read(path);

        Assert.Equal([3, 4, 5], back.Shape);
        Assert.Equal(data, back.Data);
        Assert.Equal(0, new FileInfo(path).Length % 4);
    }

    [Fact]
    public void UnsupportedFilesGiveOneLineErrors()
    {
        var fortran = Assert.Throws<DataFormatException>(() => NpyReader.Read(Fixture("numpy_fortran_f4.npy")));
        Assert.Equal("fortran_order", fortran.Field);
        var f8 = Assert.Throws<DataFormatException>(() => NpyReader.Read(Fixture("numpy_2x2_f8.npy")));
        Assert.Contains("'<f8'", f8.Message);
        Assert.StartsWith(Fixture("numpy_2x2_f8.npy"), f8.Message);

        var good = Bytes([2, 3], new float[6]);
        var truncated = new MemoryStream(good[..^3]);
        Assert.Equal("data", Assert.Throws<DataFormatException>(() => NpyReader.Read(truncated, "t.npy")).Field);
        Assert.Equal("magic", Assert.Throws<DataFormatException>(() => NpyReader.Read(new MemoryStream("PK\x03\x04 not npy"u8.ToArray()), "x.npy")).Field);
        Assert.Throws<ArgumentException>(() => Bytes([2, 2], new float[3]));
    }
}
