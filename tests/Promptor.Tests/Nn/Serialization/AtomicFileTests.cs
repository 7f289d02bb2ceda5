using System.Text;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Serialization;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string dir = NnTestUtil.NewTempDirectory();

    public void Dispose() => NnTestUtil.DeleteDirectory(dir);

    [Fact]
    public void FailureInsideTheCallbackKeepsThePreviousFileAndLeavesNoTemporary()
    {
        string path = Path.Combine(dir, "run.json");
        AtomicFile.WriteAllText(path, "previous");
        var ex = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half of the new cont"u8);
            s.Flush();
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", ex.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void FailureWithoutAPreviousFileLeavesNothing()
    {
        string path = Path.Combine(dir, "new.bin");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => throw new IOException("disk full")));
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void ReplacesAnExistingFileCompletely()
    {
        string path = Path.Combine(dir, "metrics.tsv");
        AtomicFile.WriteAllText(path, "a much longer previous content\n");
        AtomicFile.WriteAllText(path, "é\n");
        Assert.Equal([0xC3, 0xA9, 0x0A], File.ReadAllBytes(path)); // UTF-8, no byte-order mark
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void SafeTensorsSaveIsAtomicToo()
    {
        string path = Path.Combine(dir, "ckpt.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) });
        var before = File.ReadAllBytes(path);
        // A null tensor is found while building the header, before the target is touched.
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = null! }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
        Assert.Equal(Encoding.ASCII.GetBytes("{\"w\""), before[8..12]);
    }

    [Fact]
    public void MissingDirectoryThrows()
    {
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(Path.Combine(dir, "no", "such.txt"), "x"));
    }
}
