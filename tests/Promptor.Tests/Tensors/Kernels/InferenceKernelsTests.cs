using Promptor.Tensors;
using Promptor.Tensors.Kernels;

namespace Promptor.Tests.Tensors.Kernels;

using static Promptor.Tests.Tensors.GradCheck;

/// <summary>The buffer-level inference kernels against the recorded ops and the double references.</summary>
public class InferenceKernelsTests
{
    [Theory]
    [InlineData(false, false, LinearActivation.None)]
    [InlineData(true, false, LinearActivation.Relu)]
    [InlineData(true, false, LinearActivation.Gelu)]
    [InlineData(true, true, LinearActivation.None)]
    [InlineData(false, true, LinearActivation.Relu)]
    [InlineData(true, true, LinearActivation.Gelu)]
    public void LinearEqualsTheRecordedOpsInPlaceOrNot(bool bias, bool residual, LinearActivation activation)
    {
        var x = Random(1, 7, 5);
        var w = Random(2, 6, 5);
        var b = Random(3, 6);
        var r = Random(4, 7, 6);
        var expected = x.MatMul(w, transposeB: true);
        expected = bias ? expected + b : expected;
        expected = residual ? expected + r : expected;
        expected = activation switch
        {
            LinearActivation.Relu => expected.Relu(),
            LinearActivation.Gelu => expected.Gelu(),
            _ => expected,
        };

        var y = new float[7 * 6];
        InferenceKernels.Linear(x.Data, w.Data, bias ? b.Data : null, residual ? r.Data : null, y, 7, 5, 6, activation);
        Assert.Equal(expected.Data, y, new Tolerance(1e-5f));
        if (residual)
        {
            var inPlace = (float[])r.Data.Clone();
            InferenceKernels.Linear(x.Data, w.Data, bias ? b.Data : null, inPlace, inPlace, 7, 5, 6, activation);
            Assert.Equal(expected.Data, inPlace, new Tolerance(1e-5f));
        }
        Assert.Throws<ArgumentException>(() => InferenceKernels.Linear(x.Data, w.Data, null, null, new float[41], 7, 5, 6));
    }

    [Fact]
    public void BiasAndReluAddedInTheRectifyingPassEqualTheDoubleReference()
    {
        // 37 outputs: two whole vectors and a scalar tail; enough rows to split over threads.
        const int rows = 600, inFeatures = 9, outFeatures = 37;
        var x = Random(11, rows, inFeatures).Data;
        var w = Random(12, outFeatures, inFeatures).Data;
        var b = Random(13, outFeatures).Data;
        var fast = new float[rows * outFeatures];
        var slow = new float[fast.Length];
        InferenceKernels.Linear(x, w, b, null, fast, rows, inFeatures, outFeatures, LinearActivation.Relu);
        LinearInferenceKernels.ForwardReference(x, w, b, null, slow, rows, inFeatures, outFeatures, LinearActivation.Relu);
        Assert.Equal(slow, fast, new Tolerance(1e-5f));
        Assert.Contains(fast, v => v == 0f);
        Assert.Contains(fast, v => v > 0f);
    }

    [Theory]
    [InlineData(12, true)]    // not a multiple of 16: the span kernel
    [InlineData(48, true)]    // the fused vector pass
    [InlineData(128, false)]  // the fused pass without affine parameters
    public void LayerNormEqualsTheRecordedOpInPlace(int features, bool affine)
    {
        var x = Random(5, 9, features);
        for (int i = 0; i < x.Size; i++)
        {
            x.Data[i] += 40f;                                  // a large mean: the variance must be centred
        }
        var gamma = affine ? Random(6, features) : null;
        var beta = affine ? Random(7, features) : null;
        var expected = x.LayerNorm(gamma, beta, 1e-4f);
        var y = (float[])x.Data.Clone();
        InferenceKernels.LayerNorm(y, gamma?.Data, beta?.Data, y, 9, features, 1e-4f);
        Assert.Equal(expected.Data, y, new Tolerance(2e-5f));
        Assert.Throws<ArgumentException>(() => InferenceKernels.LayerNorm(y, new float[features - 1], null, y, 9, features));
    }

    [Fact]
    public void AttentionWithQueriesSharedAcrossTheBatchEqualsTheDoubleReference()
    {
        // Cross-attention of 5 shared queries over packed (B, Tk, 2E) keys and values, heads side by side.
        const int b = 3, h = 2, tq = 5, tk = 11, width = 4, e = h * width;
        var queries = Random(8, tq, e).Data;
        var keyValues = Random(9, b, tk, 2 * e).Data;
        var gates = new[] { 0.5f, 1.5f };
        var output = new float[b * tq * e];
        InferenceKernels.Attention(
            queries, new AttentionLayout(0, 0, width, e),
            keyValues, AttentionLayout.Interleaved(0, tk, 2 * e, width),
            keyValues, AttentionLayout.Interleaved(e, tk, 2 * e, width),
            output, AttentionLayout.Interleaved(0, tq, e, width), b, h, tq, tk, width, 0.5f, gates);

        for (int batch = 0; batch < b; batch++)
        {
            for (int head = 0; head < h; head++)
            {
                for (int i = 0; i < tq; i++)
                {
                    var scores = new double[tk];
                    for (int j = 0; j < tk; j++)
                    {
                        for (int c = 0; c < width; c++)
                        {
                            scores[j] += 0.5 * queries[i * e + head * width + c] * keyValues[(batch * tk + j) * 2 * e + head * width + c];
                        }
                    }
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int c = 0; c < width; c++)
                    {
                        double o = 0;
                        for (int j = 0; j < tk; j++)
                        {
                            o += Math.Exp(scores[j] - max) / sum * keyValues[(batch * tk + j) * 2 * e + e + head * width + c];
                        }
                        Assert.Equal(gates[head] * o, output[(batch * tq + i) * e + head * width + c], 1e-5);
                    }
                }
            }
        }
        Assert.Throws<ArgumentException>(() => InferenceKernels.Attention(queries, new AttentionLayout(0, 0, width, e), keyValues,
            AttentionLayout.Interleaved(0, tk, 2 * e, width), keyValues, AttentionLayout.Interleaved(e, tk + 1, 2 * e, width), output,
            AttentionLayout.Interleaved(0, tq, e, width), b, h, tq, tk + 1, width, 0.5f));
    }

    private sealed class Tolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1f, Math.Abs(x));

        public int GetHashCode(float obj) => 0;
    }
}
