using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Golden;

/// <summary>Element-wise, softmax, matmul and miscellaneous ops against PyTorch 1.13 fixtures.</summary>
public class CoreOpsGoldenTests
{
    private const double Atol = 1e-5, Rtol = 1e-4;

    private static Tensor Input(GoldenCase c, string name)
        => new(new Shape(c.Shape(name)), c.Data(name), requiresGrad: true);

    private static Tensor Constant(GoldenCase c, string name) => new(new Shape(c.Shape(name)), c.Data(name));

    private static void AssertTensor(GoldenCase c, string name, Tensor actual)
    {
        Assert.Equal(new Shape(c.Shape(name)), actual.Shape);
        GoldenAssert.Close(c.Data(name), actual.Data, Atol, Rtol, $"{c}: {name}");
    }

    public static TheoryData<string> Cases(string group) => new(GoldenFixture.Load(group).Cases.Select(c => c.Name));

    public static TheoryData<string> MatMulCases => Cases("matmul");

    public static TheoryData<string> SoftmaxCases => Cases("softmax");

    public static TheoryData<string> ActivationCases => Cases("gelu");

    [Theory]
    [MemberData(nameof(MatMulCases))]
    public void MatMul(string name)
    {
        var c = GoldenFixture.Case("matmul", name);
        var a = Input(c, "a");
        var b = Input(c, "b");
        var y = a.MatMul(b, c.Bool("trans_a"), c.Bool("trans_b"));
        AssertTensor(c, "out", y);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_a", a.Grad!);
        AssertTensor(c, "grad_b", b.Grad!);
    }

    [Theory]
    [MemberData(nameof(SoftmaxCases))]
    public void Softmax(string name)
    {
        var c = GoldenFixture.Case("softmax", name);
        var x = Input(c, "x");
        int dim = c.Int("dim");
        var y = c.String("op") == "softmax" ? x.Softmax(dim) : x.LogSoftmax(dim);
        AssertTensor(c, "out", y);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_x", x.Grad!);
    }

    [Theory]
    [MemberData(nameof(ActivationCases))]
    public void Activation(string name)
    {
        var c = GoldenFixture.Case("gelu", name);
        var x = Input(c, "x");
        var y = c.String("op") switch
        {
            "gelu" => x.Gelu(approximateTanh: c.String("approximate") == "tanh"),
            "tanh" => x.Tanh(),
            "sigmoid" => x.Sigmoid(),
            "softplus" => x.Softplus(),
            "relu" => x.Relu(),
            var op => throw new InvalidOperationException(op),
        };
        AssertTensor(c, "out", y);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_x", x.Grad!);
    }

    [Theory]
    [InlineData("broadcast_add")]
    [InlineData("broadcast_sub")]
    [InlineData("broadcast_mul")]
    [InlineData("broadcast_div")]
    public void BroadcastBinary(string name)
    {
        var c = GoldenFixture.Case("misc", name);
        var a = Input(c, "a");
        var b = Input(c, "b");
        var y = c.String("op") switch
        {
            "add" => a + b,
            "sub" => a - b,
            "mul" => a * b,
            "div" => a / b,
            var op => throw new InvalidOperationException(op),
        };
        AssertTensor(c, "out", y);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_a", a.Grad!);
        AssertTensor(c, "grad_b", b.Grad!);
    }

    [Theory]
    [InlineData("logsumexp_dim1")]
    [InlineData("logsumexp_last_keepdim")]
    public void LogSumExp(string name)
    {
        var c = GoldenFixture.Case("misc", name);
        var x = Input(c, "x");
        var y = x.LogSumExp(c.Int("dim"), c.Bool("keepdim"));
        AssertTensor(c, "out", y);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_x", x.Grad!);
    }

    [Theory]
    [InlineData("max_dim1")]
    [InlineData("max_dim0_3d")]
    public void MaxWithIndices(string name)
    {
        var c = GoldenFixture.Case("misc", name);
        var x = Input(c, "x");
        var (y, indices) = x.MaxWithIndices(c.Int("dim"), c.Bool("keepdim"));
        AssertTensor(c, "out", y);
        Assert.Equal(c.Ints("indices"), indices);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_x", x.Grad!);
    }

    [Fact]
    public void Embedding()
    {
        var c = GoldenFixture.Case("misc", "embedding");
        var w = Input(c, "weight");
        var y = Promptor.Tensors.Ops.Embedding(w, c.Ints("ids"), c.Ints("ids_shape"));
        AssertTensor(c, "out", y);
        y.Backward(Constant(c, "grad_out"));
        AssertTensor(c, "grad_weight", w.Grad!);
    }
}
