using Promptor.Genomics.Models;
using Promptor.Nn.Positional;
using Promptor.Nn.Serialization;
using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Genomics.Models;

/// <summary>
/// CondPromoter against the PyTorch CondPromoter of the reference benchmarks, given the same
/// weights (tools/reference/make_golden_condpromoter.py wrote them with PyTorch's state_dict
/// names, which load into Promptor unchanged).
/// </summary>
public class CondPromoterGoldenTests
{
    private static readonly Lazy<SafeTensorsFile> Fixture = new(() =>
        SafeTensors.Load(Path.Combine(GoldenFixture.Directory, "condpromoter.safetensors")));

    private static CondPromoter LoadModel()
    {
        var fixture = Fixture.Value;
        var model = new CondPromoter(new CondPromoterOptions
        {
            TreatmentCount = int.Parse(fixture.Metadata["treatments"]),
            SequenceLength = int.Parse(fixture.Metadata["length"]),
            Convolutions = [new(16, 15, 1, 4), new(16, 9, 1, 4)],
            BatchNorm = false,
            AttendedBatchNorm = false,
            ModelDim = int.Parse(fixture.Metadata["d"]),
            Positions = PositionalEncodingKind.Sinusoidal,
            SelfAttentionBlocks = int.Parse(fixture.Metadata["blocks"]),
            SelfAttentionHeads = int.Parse(fixture.Metadata["heads"]),
            CrossAttentionHeads = int.Parse(fixture.Metadata["heads"]),
            Dropout = 0f,
            HeadHidden = 16,
        }, new Generator(1));
        var weights = fixture.Tensors.Where(kv => !kv.Key.StartsWith("golden.", StringComparison.Ordinal)).ToDictionary();
        var result = model.LoadStateDict(weights);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        model.Eval();
        return model;
    }

    private static Tensor Golden(string name) => Fixture.Value.Tensors["golden." + name];

    private static void Close(Tensor expected, Tensor actual, double atol, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        GoldenAssert.Close(expected.Data, actual.Data, atol, 1e-4, what);
    }

    private static int[] TreatmentIds() => Golden("tid").Data.Select(v => (int)v).ToArray();

    [Fact]
    public void SelectedTreatmentForwardEqualsPyTorch()
    {
        var model = LoadModel();
        var y = model.ForwardSelected(Golden("seq"), TreatmentIds());
        Close(Golden("selected"), y, 1e-5, "selected");
    }

    [Fact]
    public void AllTreatmentsAtOnceEqualPyTorchAskedOneTreatmentAtATime()
    {
        var model = LoadModel();
        var y = model.Forward(Golden("seq"));
        Close(Golden("all"), y, 1e-5, "all");
    }

    [Fact]
    public void ParameterGradientsEqualPyTorch()
    {
        var model = LoadModel();
        var loss = model.ForwardSelected(Golden("seq"), TreatmentIds()).MseLoss(Golden("target"));
        Assert.Equal(Golden("loss").Data[0], loss.Data[0], 5);
        loss.Backward();
        foreach (var (name, parameter) in model.NamedParameters())
        {
            Close(Golden("grad." + name), parameter.Grad!, 1e-5, "grad." + name);
        }
    }
}
