using Promptor.Nn.Positional;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using static Promptor.Tests.Tensors.GradCheck;
using TensorOps = Promptor.Tensors.Ops;

namespace Promptor.Tests.Nn.Positional;

/// <summary>Shaw-style relative attention and the relative-position bias module.</summary>
public class RelativeAttentionTests
{
    /// <summary>
    /// Shaw et al. from the formulas with explicit (T, T, D) tensors of per-pair embeddings:
    /// <c>e = (q kᵀ + q·a^K_ij)·scale</c>, <c>α = softmax(e)</c>, <c>z_i = Σ_j α_ij (v_j + a^V_ij)</c>.
    /// </summary>
    private static Tensor NaiveShaw(Tensor q, Tensor k, Tensor v, Tensor aK, Tensor aV, bool causal)
    {
        int t = q.Shape[-2];
        float scale = 1f / MathF.Sqrt(q.Shape[-1]);
        var logits = q.MatMul(k, transposeB: true).Add(RelativeShiftTests.NaiveLogits(q, aK, causal)).MulScalar(scale);
        int maxDistance = RelativePositions.MaxDistance(aK.Shape[-2], causal);
        var (index, keep) = RelativeShiftTests.PairIndex(t, maxDistance, causal);
        if (causal)
        {
            logits = logits.MaskedFill(Tensor.Ones(t, t).Sub(keep), float.NegativeInfinity);
        }
        var alpha = logits.Softmax(-1);                                                     // (B, H, T, T)
        var valuePairs = aV.IndexSelect(0, index).Reshape(t, t, aV.Shape[-1]);              // (T, T, Dv)
        var valueTerm = alpha.Unsqueeze(-1).Mul(valuePairs).Sum(-2);                        // (B, H, T, Dv)
        return alpha.MatMul(v).Add(valueTerm);
    }

    [Theory]
    [InlineData(1, 0, false)]
    [InlineData(7, 2, false)]
    [InlineData(7, 2, true)]
    [InlineData(7, 9, false)]
    [InlineData(7, 9, true)]
    [InlineData(33, 5, true)]
    public void ShawAttentionEqualsNaivePerPairFormula(int t, int k, bool causal)
    {
        const int b = 2, h = 2, d = 4, dv = 3;
        int rows = RelativePositions.TableSize(k, causal);
        Tensor[] inputs = [Random(1, b, h, t, d), Random(2, b, h, t, d), Random(3, b, h, t, dv), Random(4, rows, d), Random(5, rows, dv)];
        var w = Random(6, b, h, t, dv);

        Tensor[] Run(Func<Tensor[], Tensor> f)
        {
            var leaves = inputs.Select(x => new Tensor(x.Shape, x.ToArray(), true)).ToArray();
            var z = f(leaves);
            z.Backward(w);
            return [z.Detach(), .. leaves.Select(l => l.Grad!)];
        }

        var fast = Run(x => RelativePositions.ShawAttention(x[0], x[1], x[2], x[3], x[4], causal).Output);
        var naive = Run(x => NaiveShaw(x[0], x[1], x[2], x[3], x[4], causal));
        string[] names = ["z", "dq", "dk", "dv", "daK", "daV"];
        for (int i = 0; i < names.Length; i++)
        {
            RelativeShiftTests.AssertClose(naive[i], fast[i], names[i], 1e-4);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradCheckShawAttentionWithValueTable(bool causal)
    {
        const int t = 5, k = 2;
        int rows = RelativePositions.TableSize(k, causal);
        Check(x => RelativePositions.ShawAttention(x[0], x[1], x[2], x[3], x[4], causal).Output,
            [Random(1, 2, 2, t, 3), Random(2, 2, 2, t, 3), Random(3, 2, 2, t, 4), Random(4, rows, 3), Random(5, rows, 4)],
            name: $"Shaw attention (causal={causal})");
    }

    [Fact]
    public void ShawModuleRegistersTablesAndMatchesTheFunction()
    {
        var shaw = new ShawRelativeAttention(4, 3, new Generator(1), valueDim: 5);
        Assert.Equal(["key", "value"], shaw.NamedParameters().Select(p => p.Name));
        Assert.Equal([7, 4], shaw.KeyTable.Shape.ToArray());
        Assert.Equal([7, 5], shaw.ValueTable!.Shape.ToArray());
        var q = Random(2, 1, 2, 6, 4);
        var kk = Random(3, 1, 2, 6, 4);
        var v = Random(4, 1, 2, 6, 5);
        var (z, a) = shaw.Forward(q, kk, v);
        var (z2, a2) = RelativePositions.ShawAttention(q, kk, v, shaw.KeyTable, shaw.ValueTable, false);
        Assert.Equal(z2.Data, z.Data);
        Assert.Equal(a2.Data, a.Data);
        z.Sum().Backward();
        Assert.Contains(shaw.KeyTable.Grad!.Data, g => g != 0);
        Assert.Contains(shaw.ValueTable.Grad!.Data, g => g != 0);

        var keyOnly = new ShawRelativeAttention(4, 2, new Generator(1), causal: true, useValueTable: false);
        Assert.Equal(["key"], keyOnly.NamedParameters().Select(p => p.Name));
        Assert.Equal([3, 4], keyOnly.KeyTable.Shape.ToArray());
    }

    [Fact]
    public void WeightsRowsSumToOneAndCausalWeightsHideTheFuture()
    {
        var (_, weights) = RelativePositions.ShawAttention(Random(1, 2, 2, 6, 3), Random(2, 2, 2, 6, 3), Random(3, 2, 2, 6, 3),
            Random(4, 3, 3), Random(5, 3, 3), causal: true);
        for (int row = 0; row < 2 * 2 * 6; row++)
        {
            int i = row % 6;
            var span = weights.Data.AsSpan(row * 6, 6);
            double sum = 0;
            for (int j = 0; j < 6; j++)
            {
                sum += span[j];
                if (j > i)
                {
                    Assert.Equal(0f, span[j]);
                }
            }
            Assert.Equal(1.0, sum, 5);
        }
    }

    [Fact]
    public void CombinesWithKeyPaddingAndAnExtraBias()
    {
        const int t = 5;
        var q = Random(1, 2, 2, t, 3);
        var k = Random(2, 2, 2, t, 3);
        var v = Random(3, 2, 2, t, 3);
        var aK = Random(4, 5, 3);
        var padding = Tensor.Zeros(2, t);
        padding.Data[t - 1] = 1f;                                                            // batch 0: last key padded
        var extra = Random(5, t, t);
        var (_, weights) = RelativePositions.ShawAttention(q, k, v, aK,
            mask: new AttentionMask { KeyPadding = padding, Bias = extra });
        for (int h = 0; h < 2; h++)
        {
            for (int i = 0; i < t; i++)
            {
                Assert.Equal(0f, weights[0, h, i, t - 1]);
                Assert.True(weights[1, h, i, t - 1] > 0);
            }
        }
        var bias = RelativePositions.Logits(q, aK).MulScalar(1f / MathF.Sqrt(3)).Add(extra);
        var (_, expected) = TensorOps.ScaledDotProductAttentionWithWeights(q, k, v, new AttentionMask { KeyPadding = padding, Bias = bias });
        RelativeShiftTests.AssertClose(expected, weights, "weights with padding and bias");
    }

    [Fact]
    public void CausalRelativeAttentionNeverLetsLaterTokensChangeEarlierOutputs()
    {
        var shaw = new ShawRelativeAttention(4, 3, new Generator(7), causal: true, std: 1);
        var x = Random(8, 1, 1, 6, 4);
        var changed = x.Clone();
        for (int c = 0; c < 4; c++)
        {
            changed.Data[5 * 4 + c] += 3f;
        }
        var z = shaw.Forward(x, x, x).Output;
        var z2 = shaw.Forward(changed, changed, changed).Output;
        Assert.Equal(z.Data.AsSpan(0, 5 * 4).ToArray(), z2.Data.AsSpan(0, 5 * 4).ToArray());
        Assert.NotEqual(z.Data[5 * 4], z2.Data[5 * 4]);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, 3)]
    public void BiasModuleThroughTheAttentionOpsEqualsShawWithoutValueTerm(bool causal, int? heads)
    {
        const int b = 2, h = 3, t = 9, d = 4, k = 3;
        var bias = new RelativePositionBias(d, k, new Generator(3), causal, heads, std: 1);
        int rows = RelativePositions.TableSize(k, causal);
        Assert.Equal(heads is null ? [rows, d] : [h, rows, d], bias.Weight.Shape.ToArray());
        var q = Random(10, b, h, t, d);
        var kk = Random(11, b, h, t, d);
        var v = Random(12, b, h, t, d);
        var w = Random(13, b, h, t, d);

        var z = TensorOps.ScaledDotProductAttention(q, kk, v, bias.Mask(q));
        z.Backward(w);
        var dE = bias.Weight.Grad!.Clone();
        bias.ZeroGrad();

        var table = new Tensor(bias.Weight.Shape, bias.Weight.ToArray(), true);
        var expected = RelativePositions.ShawAttention(q, kk, v, table, null, causal).Output;
        expected.Backward(w);
        RelativeShiftTests.AssertClose(expected.Detach(), z.Detach(), "output");
        RelativeShiftTests.AssertClose(table.Grad!, dE, "dE");
        Assert.Contains(dE.Data, g => g != 0);

        // Without grad the bias is a constant and the fused kernel runs: same output.
        using (Tape.NoGrad())
        {
            var fused = TensorOps.ScaledDotProductAttention(q, kk, v, bias.Mask(q));
            RelativeShiftTests.AssertClose(expected.Detach(), fused, "fused output");
        }
    }

    [Fact]
    public void BiasDependsOnlyOnTheDistanceWhenEveryQueryIsTheSame()
    {
        const int t = 11, d = 5, k = 3;
        foreach (bool causal in new[] { false, true })
        {
            var bias = new RelativePositionBias(d, k, new Generator(4), causal, std: 1);
            var u = Random(5, 2, 3, 1, d);
            var q = u.Add(Tensor.Zeros(2, 3, t, d));                                        // the same q at every position
            var s = bias.Forward(q);                                                        // (2, 3, T, T)
            for (int plane = 0; plane < 6; plane++)
            {
                for (int i = 0; i < t; i++)
                {
                    for (int j = 0; j < t; j++)
                    {
                        float value = s.Data[(plane * t + i) * t + j];
                        int distance = j - i;
                        if (causal && distance > 0)
                        {
                            Assert.Equal(0f, value);
                            continue;
                        }
                        // Toeplitz: the entry one step down the diagonal is the same.
                        if (i + 1 < t && j + 1 < t)
                        {
                            Assert.Equal(value, s.Data[(plane * t + i + 1) * t + j + 1]);
                        }
                        // And it is u · E[clip(j − i)] scaled, so clipped distances share a value.
                        int row = RelativePositions.Index(distance, k, causal);
                        double expected = 0;
                        for (int c = 0; c < d; c++)
                        {
                            expected += (double)u.Data[plane * d + c] * bias.Weight[row, c];
                        }
                        Assert.Equal(expected * bias.Scale, value, 5);
                    }
                }
            }
            // Distances −k and −(k + 1) share a value (clipping); −(k − 1) differs.
            Assert.Equal(s[0, 0, t - 1, t - 1 - k], s[0, 0, t - 1, t - 2 - k]);
            Assert.NotEqual(s[0, 0, t - 1, t - k], s[0, 0, t - 1, t - 1 - k]);
        }
    }

    [Fact]
    public void RelativeLogitsAreUnchangedWhenTheContentMovesAlongTheSequence()
    {
        // Queries computed from content only: placing the content 3 positions later moves the
        // logits along the diagonal and changes nothing else.
        const int t = 6, shift = 3, d = 4;
        var bias = new RelativePositionBias(d, 2, new Generator(6), std: 1);
        var content = Random(7, 1, 1, t, d);
        var padded = TensorOps.Concat([Random(8, 1, 1, shift, d), content], 2);               // (1, 1, T + 3, D)
        var s = bias.Forward(content);
        var sPadded = bias.Forward(padded);
        for (int i = 0; i < t; i++)
        {
            for (int j = 0; j < t; j++)
            {
                Assert.Equal(s[0, 0, i, j], sPadded[0, 0, i + shift, j + shift]);
            }
        }
    }

    [Fact]
    public void RejectsMismatchedTables()
    {
        var q = Random(1, 1, 2, 4, 3);
        var v = Random(2, 1, 2, 4, 5);
        Assert.Throws<ArgumentException>(() => RelativePositions.ShawAttention(q, q, v, Random(3, 5, 3), Random(4, 3, 5)));
        Assert.Throws<ArgumentException>(() => RelativePositions.ShawAttention(q, q, v, Random(3, 5, 3), Random(4, 5, 3)));
        Assert.Throws<ArgumentException>(() => RelativePositions.ShawAttention(q, Random(5, 1, 2, 6, 3), Random(6, 1, 2, 6, 5), Random(3, 5, 3)));
        Assert.Throws<ArgumentException>(() => RelativePositions.MaxDistance(4));
        Assert.Equal(3, RelativePositions.MaxDistance(4, causal: true));
        Assert.Equal(-1, RelativePositions.Index(1, 3, causal: true));
        Assert.Equal(0, RelativePositions.Index(-10, 3));
        Assert.Equal(6, RelativePositions.Index(10, 3));
    }
}
