using Promptor.Tensors;

namespace Promptor.Tests.Tensors.Ops;

using static GradCheck;

public class ElementwiseOpsTests
{
    public static TheoryData<string> UnaryNames => new()
    {
        "exp", "log", "sqrt", "pow", "square", "abs", "tanh", "sigmoid", "relu", "clamp",
        "softplus", "gelu", "gelu_tanh", "sin", "cos", "neg", "add_scalar", "mul_scalar", "rsub",
    };

    private static Func<Tensor, Tensor> Unary(string name) => name switch
    {
        "exp" => x => x.Exp(),
        "log" => x => x.Log(),
        "sqrt" => x => x.Sqrt(),
        "pow" => x => x.Pow(2.5f),
        "square" => x => x.Square(),
        "abs" => x => x.Abs(),
        "tanh" => x => x.Tanh(),
        "sigmoid" => x => x.Sigmoid(),
        "relu" => x => x.Relu(),
        "clamp" => x => x.Clamp(-0.5f, 0.7f),
        "softplus" => x => x.Softplus(),
        "gelu" => x => x.Gelu(),
        "gelu_tanh" => x => x.Gelu(approximateTanh: true),
        "sin" => x => x.Sin(),
        "cos" => x => x.Cos(),
        "neg" => x => -x,
        "add_scalar" => x => x + 3f,
        "mul_scalar" => x => 2.5f * x,
        "rsub" => x => x.RSubScalar(1f),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryGradientMatchesFiniteDifferences(string name)
    {
        bool positiveOnly = name is "log" or "sqrt" or "pow";
        // Keep inputs away from kinks (0 for abs/relu, the clamp bounds) so central differences are valid.
        var x = positiveOnly ? Uniform(3, 0.5f, 2f, 3, 4) : Uniform(3, -2f, 2f, 3, 4);
        for (int i = 0; i < x.Size; i++)
        {
            float v = x.Data[i];
            if (MathF.Abs(v) < 0.05f || MathF.Abs(v + 0.5f) < 0.05f || MathF.Abs(v - 0.7f) < 0.05f)
            {
                x.Data[i] = v + 0.2f;
            }
        }
        Check(Unary(name), x, eps: 1e-2f, name: name);
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 4, 1, 3 }, new[] { 5, 1 })]
    [InlineData(new[] { 1 }, new[] { 2, 3 })]
    [InlineData(new int[0], new[] { 2, 3 })]
    public void BinaryGradientsReduceBroadcastDimensions(int[] shapeA, int[] shapeB)
    {
        var a = Uniform(1, 0.5f, 2f, shapeA);
        var b = Uniform(2, 0.5f, 2f, shapeB);
        Check(xs => xs[0] + xs[1], [a, b], name: "add");
        Check(xs => xs[0] - xs[1], [a, b], name: "sub");
        Check(xs => xs[0] * xs[1], [a, b], name: "mul");
        Check(xs => xs[0] / xs[1], [a, b], name: "div");
        Check(xs => xs[0].Maximum(xs[1]), [a, b], name: "maximum");
    }

    [Fact]
    public void GradientAccumulatesAcrossUses()
    {
        var x = new Tensor(new Shape(3), [1f, 2f, 3f], requiresGrad: true);
        var y = (x * x + x * 3f).Sum(); // dy/dx = 2x + 3
        y.Backward();
        Assert.Equal([5f, 7f, 9f], x.Grad!.Data);
    }

    [Fact]
    public void BroadcastAddMatchesNaiveIndexing()
    {
        var a = Random(5, 2, 1, 4, 3);
        var b = Random(6, 5, 1, 3);
        var y = a + b;
        Assert.Equal(new Shape(2, 5, 4, 3), y.Shape);
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    for (int l = 0; l < 3; l++)
                    {
                        Assert.Equal(a[i, 0, k, l] + b[j, 0, l], y[i, j, k, l]);
                    }
                }
            }
        }
    }

    [Fact]
    public void IncompatibleShapesNameBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4)", ex.Message);
    }

    [Fact]
    public void GeluMatchesClosedFormAtKnownPoints()
    {
        var x = Tensor.FromArray([-3f, -1f, 0f, 1f, 3f]);
        var y = x.Gelu();
        // x·Φ(x): Φ(1) = 0.841344746, Φ(3) = 0.998650102
        float[] expected = [-3f * (1 - 0.998650102f), -(1 - 0.841344746f), 0f, 0.841344746f, 3f * 0.998650102f];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], y.Data[i], 1e-6f);
        }
    }

    [Fact]
    public void SoftplusIsStableForLargeInputs()
    {
        var y = Tensor.FromArray([-100f, 100f]).Softplus();
        Assert.Equal(0f, y.Data[0], 1e-30f);
        Assert.Equal(100f, y.Data[1]);
    }
}
