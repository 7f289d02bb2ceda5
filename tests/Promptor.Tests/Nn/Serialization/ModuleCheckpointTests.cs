using Promptor.Nn.Layers;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Tests.Nn.Serialization;

public sealed class ModuleCheckpointTests : IDisposable
{
    private readonly string dir = NnTestUtil.NewTempDirectory();

    public void Dispose() => NnTestUtil.DeleteDirectory(dir);

    private static Sequential Mlp(ulong seed)
    {
        var g = new Generator(seed);
        return new Sequential(("fc1", new Linear(4, 8, g)), ("act", new Gelu()), ("fc2", new Linear(8, 2, g)));
    }

    [Fact]
    public void SaveAndLoadRestoreTheModuleAndMetadata()
    {
        var trained = Mlp(1);
        string path = Path.Combine(dir, "model.safetensors");
        ModuleCheckpoint.Save(path, trained, new Dictionary<string, string> { ["model"] = "mlp", ["seed"] = "1" });
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], SafeTensors.ReadHeader(path).Entries.Select(e => e.Name));

        var fresh = Mlp(2);
        var x = Tensor.RandomNormal(new Generator(3), new Shape(5, 4));
        Assert.NotEqual(trained.Forward(x).ToArray(), fresh.Forward(x).ToArray());
        var metadata = ModuleCheckpoint.Load(path, fresh);
        Assert.Equal("mlp", metadata["model"]);
        Assert.Equal(trained.Forward(x).ToArray(), fresh.Forward(x).ToArray());
    }

    [Fact]
    public void LoadIntoADifferentArchitectureFailsClearly()
    {
        string path = Path.Combine(dir, "model.safetensors");
        ModuleCheckpoint.Save(path, Mlp(1));
        var g = new Generator(1);
        var other = new Sequential(("fc1", new Linear(4, 8, g)), ("act", new Gelu()), ("fc2", new Linear(8, 3, g)));
        var ex = Assert.Throws<Promptor.Nn.StateDictMismatchException>(() => ModuleCheckpoint.Load(path, other));
        Assert.Equal(2, ex.ShapeMismatches.Count);
    }
}
