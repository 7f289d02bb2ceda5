using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

using static Promptor.Tests.Tensors.GradCheck;

public class LinearInferenceKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(62, 128, 48)]
    [InlineData(300, 40, 70)]
    public void FoldedBiasResidualAndActivationEqualTheDoubleReference(int rows, int inFeatures, int outFeatures)
    {
        var x = Random(1, rows, inFeatures).Data;
        var w = Random(2, outFeatures, inFeatures).Data;
        var bias = Random(3, outFeatures).Data;
        var residual = Random(4, rows, outFeatures).Data;
        foreach (bool withBias in new[] { false, true })
        {
            foreach (bool withResidual in new[] { false, true })
            {
                foreach (var activation in Enum.GetValues<LinearActivation>())
                {
                    var fast = new float[rows * outFeatures];
                    var slow = new float[fast.Length];
                    float[]? b = withBias ? bias : null, r = withResidual ? residual : null;
                    LinearInferenceKernels.Forward(x, w, b, r, fast, rows, inFeatures, outFeatures, activation);
                    LinearInferenceKernels.ForwardReference(x, w, b, r, slow, rows, inFeatures, outFeatures, activation);
                    for (int i = 0; i < fast.Length; i++)
                    {
                        Assert.True(Math.Abs(fast[i] - slow[i]) <= 1e-4 * (1 + Math.Abs(slow[i])),
                            $"bias {withBias} residual {withResidual} {activation} [{i}]: {fast[i]} vs {slow[i]}");
                        Assert.True(activation != LinearActivation.Relu || fast[i] >= 0f);
                    }
                }
            }
        }
    }

    [Fact]
    public void ResidualMayBeTheOutputArray()
    {
        const int rows = 9, n = 6, m = 4;
        var x = Random(5, rows, n).Data;
        var w = Random(6, m, n).Data;
        var bias = Random(7, m).Data;
        var inPlace = Random(8, rows, m).Data;
        var expected = new float[inPlace.Length];
        LinearInferenceKernels.ForwardReference(x, w, bias, inPlace, expected, rows, n, m, LinearActivation.None);
        LinearInferenceKernels.Forward(x, w, bias, inPlace, inPlace, rows, n, m, LinearActivation.None);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], inPlace[i], 1e-4f);
        }
    }

    [Fact]
    public void RowBlocksCoverEveryRowExactlyOnce()
    {
        foreach (int rows in new[] { 0, 1, 2, 7, 1000, 100_003 })
        {
            var seen = new int[rows];
            LinearInferenceKernels.ForRows(rows, 64, (start, count) =>
            {
                for (int r = start; r < start + count; r++)
                {
                    Interlocked.Increment(ref seen[r]);
                }
            });
            Assert.All(seen, c => Assert.Equal(1, c));
        }
    }
}
