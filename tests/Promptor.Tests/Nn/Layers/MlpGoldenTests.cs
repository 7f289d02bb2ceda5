using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Nn.Layers;

/// <summary>Linear(8,16) → GELU → Linear(16,4) with MSE, against PyTorch (mlp.json).</summary>
public class MlpGoldenTests
{
    [Fact]
    public void ForwardLossAndGradientsMatchPyTorch()
    {
        var c = GoldenFixture.Case("mlp", "linear_gelu_linear_mse");
        Assert.Equal("none", c.String("approximate"));
        var g = new Generator(123);
        var model = new Sequential(("fc1", new Linear(8, 16, g)), ("act", new Gelu()), ("fc2", new Linear(16, 4, g)));
        string[] names = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"];
        Assert.Equal(names, model.NamedParameters().Select(p => p.Name));
        model.LoadStateDict(names.ToDictionary(n => n, n => NnTestUtil.Golden(c, n)));

        var x = NnTestUtil.Golden(c, "x");
        x.RequiresGrad = true;
        var target = NnTestUtil.Golden(c, "target");
        var output = model.Forward(x);
        var loss = (output - target).Square().Mean();
        loss.Backward();

        GoldenAssert.Close(c.Data("out"), output.Data, 1e-6, 1e-5, "mlp out");
        GoldenAssert.Close(c.Data("loss"), loss.Data, 1e-6, 1e-5, "mlp loss");
        GoldenAssert.Close(c.Data("grad_x"), x.Grad!.Data, 1e-6, 1e-4, "mlp grad_x");
        foreach (var (name, p) in model.NamedParameters())
        {
            GoldenAssert.Close(c.Data("grad_" + name), p.Grad!.Data, 1e-6, 1e-4, "mlp grad_" + name);
        }
    }
}
