using Promptor.Genomics.Models.Gpt;
using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Genomics.Models.Gpt;

/// <summary>Promptor's Gpt against TinyGPT of the PyTorch reference benchmark (tools/reference/make_golden_gpt.py).</summary>
public class GptGoldenTests
{
    private static Promptor.Genomics.Models.Gpt.Gpt LoadTinyGpt()
    {
        var c = GoldenFixture.Case("gpt", "tinygpt_b2_t8");
        var model = new Promptor.Genomics.Models.Gpt.Gpt(new GptOptions
        {
            VocabSize = c.Int("vocab"),
            ContextLength = c.Int("ctx"),
            ModelDim = c.Int("d"),
            Heads = c.Int("heads"),
            Blocks = c.Int("blocks"),
            Dropout = 0f,
        }, new Generator(1));
        var state = model.StateDict().Keys.ToDictionary(name => name, name => new Tensor(new Shape(c.Shape(name)), c.Data(name)));
        model.LoadStateDict(state);
        model.Eval();
        return model;
    }

    [Fact]
    public void ParameterNamesAreTinyGpts()
    {
        var c = GoldenFixture.Case("gpt", "tinygpt_b2_t8");
        var model = LoadTinyGpt();
        var torchNames = c.TensorNames.Where(n => !n.StartsWith("grad_", StringComparison.Ordinal) && n is not "logits" and not "loss").ToList();
        Assert.Equal(torchNames, model.NamedParameters().Select(p => p.Name).ToList());
    }

    [Theory]
    [InlineData("tinygpt_b2_t8")]
    [InlineData("tinygpt_b3_t5")]
    public void LogitsAndLossEqualTinyGpt(string name)
    {
        var c = GoldenFixture.Case("gpt", name);
        var model = LoadTinyGpt();
        int batch = c.Ints("ids_shape")[0];
        var logits = model.Forward(c.Ints("ids"), batch);
        Assert.Equal(new Shape(c.Shape("logits")), logits.Shape);
        GoldenAssert.Close(c.Data("logits"), logits.Data, 1e-5, 1e-5, $"{name} logits");
        var loss = logits.Reshape(-1, c.Int("vocab")).CrossEntropy(c.Ints("targets"));
        GoldenAssert.Close(c.Data("loss"), loss.Data, 1e-5, 1e-5, $"{name} loss");
    }

    [Fact]
    public void GradientsEqualTinyGpt()
    {
        var c = GoldenFixture.Case("gpt", "tinygpt_b2_t8");
        var model = LoadTinyGpt();
        var logits = model.Forward(c.Ints("ids"), 2);
        logits.Reshape(-1, c.Int("vocab")).CrossEntropy(c.Ints("targets")).Backward();
        foreach (var (name, p) in model.NamedParameters())
        {
            GoldenAssert.Close(c.Data("grad_" + name), p.Grad!.Data, 1e-5, 1e-4, "grad " + name);
        }
    }
}
