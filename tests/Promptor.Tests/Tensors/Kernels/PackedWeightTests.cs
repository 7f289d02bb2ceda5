using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Tensors.Kernels;

/// <summary>Weights packed once (<see cref="PackedWeight"/>, <see cref="Ops.FreezeWeights"/>) give the products of packing them each time.</summary>
public class PackedWeightTests
{
    [Theory]
    [InlineData(1, 33, 5)]         // one row, edge strips
    [InlineData(16, 384, 128)]     // a decoding step's projection
    [InlineData(300, 1100, 300)]   // two column blocks and two depth blocks; rows split over threads
    [InlineData(7, 64, 513)]       // three depth blocks, a partial row strip
    public void PrepackedProductsEqualTheOrdinaryOnes(int m, int n, int k)
    {
        if (!PackedWeight.IsSupported)
        {
            return;
        }
        var rng = new Generator(51);
        var a = new float[m * k];
        var w = new float[n * k];
        var bias = new float[n];
        var addend = new float[m * n];
        rng.FillNormal(a);
        rng.FillNormal(w);
        rng.FillNormal(bias);
        rng.FillNormal(addend);
        var packed = PackedWeight.Pack(w, n, k);
        foreach (var activation in new[] { LinearActivation.None, LinearActivation.Relu, LinearActivation.Gelu })
        {
            var expected = new float[m * n];
            var actual = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.MultiplyFused(false, true, m, n, k, a, k, w, k, 0f, expected, n, bias, addend, activation);
            Gemm.MultiplyFusedPrepacked(m, a, k, packed, 0f, actual, n, bias, addend, activation);
            Assert.Equal(expected, actual);   // the same panels and loop nest: bit for bit
        }
    }

    [Fact]
    public void LinearInferenceInsideAFrozenScopeEqualsOutsideAndTheScopeCloses()
    {
        var rng = new Generator(52);
        var x = Tensor.RandomNormal(rng, new Shape(16, 128));
        var w = Tensor.RandomNormal(rng, new Shape(384, 128));
        var b = Tensor.RandomNormal(rng, new Shape(384));
        using (Tape.NoGrad())
        {
            var outside = Promptor.Tensors.Ops.LinearInference(x, w, b, activation: LinearActivation.Gelu);
            using (Promptor.Tensors.Ops.FreezeWeights())
            {
                using (Promptor.Tensors.Ops.FreezeWeights())   // an inner scope does nothing
                {
                    GoldenAssert.Close(outside.Data, Promptor.Tensors.Ops.LinearInference(x, w, b, activation: LinearActivation.Gelu).Data, 0, 0, "inner");
                }
                Assert.NotNull(FrozenWeightScope.Current);
                GoldenAssert.Close(outside.Data, Promptor.Tensors.Ops.LinearInference(x, w, b, activation: LinearActivation.Gelu).Data, 0, 0, "outer, second use");
            }
            Assert.Null(FrozenWeightScope.Current);

            // Outside the scope a changed weight is read again.
            w.Data[0] += 1f;
            var changed = Promptor.Tensors.Ops.LinearInference(x, w, b, activation: LinearActivation.Gelu);
            Assert.NotEqual(outside.Data[0], changed.Data[0]);
        }
    }
}
