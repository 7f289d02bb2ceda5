using Promptor.Nn.Attention;
using Promptor.Tensors;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Attention;

/// <summary>
/// Without requested weights, <see cref="MultiHeadAttention"/> runs projections as single ops and the
/// fused kernel in place on them (the packed projection for self-attention); with weights it runs
/// the materialised path. Both must agree on outputs and on every gradient, for every layout.
/// </summary>
public class MultiHeadAttentionFusedPathTests
{
    public static TheoryData<string> Cases => new() { "self", "self_causal", "cross", "separate_projections", "gates", "no_bias" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedPathEqualsMaterialisedPath(string kind)
    {
        var options = kind switch
        {
            "separate_projections" => new MultiHeadAttentionOptions { EmbedDim = 8, Heads = 2, KeyDim = 6, ValueDim = 5 },
            "no_bias" => new MultiHeadAttentionOptions { EmbedDim = 8, Heads = 4, Bias = false },
            _ => new MultiHeadAttentionOptions { EmbedDim = 8, Heads = 2 },
        };
        bool self = kind is "self" or "self_causal" or "gates" or "no_bias";
        var mask = kind == "self_causal" ? AttentionMask.CausalMask : null;
        int tq = 7, tk = self ? 7 : 11;
        var queryValues = GradCheck.Random(1, 2, tq, 8);
        var keyValues = GradCheck.Random(2, 2, tk, options.KeyWidth);
        var valueValues = GradCheck.Random(3, 2, tk, options.ValueWidth);
        var gradOut = GradCheck.Random(4, 2, tq, 8);

        List<Tensor> Run(bool needWeights)
        {
            var mha = new MultiHeadAttention(options, new Generator(9));
            if (kind == "gates")
            {
                mha.HeadGates.Data[1] = 0.5f;
                mha.HeadGates.RequiresGrad = true;
            }
            var query = new Tensor(queryValues.Shape, queryValues.ToArray(), true);
            var key = self ? query : new Tensor(keyValues.Shape, keyValues.ToArray(), true);
            var value = self ? query : new Tensor(valueValues.Shape, valueValues.ToArray(), true);
            var output = mha.Forward(query, key, value, mask, needWeights).Output;
            output.Backward(gradOut);
            var results = new List<Tensor> { output.Detach(), query.Grad! };
            if (!self)
            {
                results.Add(key.Grad!);
                results.Add(value.Grad!);
            }
            results.AddRange(mha.Parameters().Select(p => p.Grad!));
            if (kind == "gates")
            {
                results.Add(mha.HeadGates.Grad!);
            }
            return results;
        }

        var fused = Run(needWeights: false);
        var materialised = Run(needWeights: true);
        Assert.Equal(materialised.Count, fused.Count);
        for (int t = 0; t < fused.Count; t++)
        {
            Assert.Equal(materialised[t].Shape, fused[t].Shape);
            double scale = materialised[t].Data.Select(Math.Abs).DefaultIfEmpty(0f).Max();
            for (int i = 0; i < fused[t].Size; i++)
            {
                Assert.True(Math.Abs(fused[t].Data[i] - materialised[t].Data[i]) <= 1e-5 * scale + 1e-6,
                    $"{kind}, result {t}[{i}]: fused {fused[t].Data[i]} vs materialised {materialised[t].Data[i]}");
            }
        }
    }

    [Fact]
    public void InferenceWithoutRecordingReusesStorageAndKeepsOutputs()
    {
        // Under NoGrad the projections are recycled at once; outputs already returned must not change.
        var mha = new MultiHeadAttention(new MultiHeadAttentionOptions { EmbedDim = 64, Heads = 4 }, new Generator(5));
        var x = GradCheck.Random(6, 2, 300, 64); // projections of 2·300·192 floats: above the pool's minimum
        Tensor first, second;
        using (Promptor.Tensors.Autograd.Tape.NoGrad())
        {
            first = mha.Forward(x);
            var kept = first.ToArray();
            second = mha.Forward(x);
            Assert.Equal(kept, first.Data);
        }
        Assert.Equal(first.Data, second.Data);
    }
}
