using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Interpretation;

/// <summary>Tiny untrained promoter models (fixed seeds) and random sequences for the interpretation tests.</summary>
internal static class AttributionFixture
{
    /// <summary>Two convolutions (one dilated, one of even width), a self-attention block and 2-head cross-attention on 53 bp.</summary>
    public static CondPromoterOptions TinyOptions(int length = 53, int blocks = 1) => new()
    {
        TreatmentCount = 3,
        SequenceLength = length,
        Convolutions = [new(8, 5, 2, 2), new(8, 4, 1, 3)],
        ModelDim = 8,
        SelfAttentionBlocks = blocks,
        SelfAttentionHeads = 2,
        CrossAttentionHeads = 2,
        HeadHidden = 6,
        Dropout = 0.1f,
    };

    /// <summary>A tiny model in evaluation mode with non-trivial batch-norm statistics.</summary>
    public static CondPromoter TinyModel(ulong seed = 1, CondPromoterOptions? options = null)
    {
        var model = new CondPromoter(options ?? TinyOptions(), new Generator(seed));
        var g = new Generator(seed + 100);
        foreach (var (name, buffer) in model.NamedBuffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                Fill(buffer, g, -0.3f, 0.3f);
            }
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                Fill(buffer, g, 0.5f, 1.5f);
            }
        }
        model.Eval();
        return model;
    }

    /// <summary>A random one-hot sequence <c>(L, 4)</c>.</summary>
    public static Tensor RandomSequence(int length, ulong seed)
    {
        var g = new Generator(seed);
        var text = new string(Enumerable.Range(0, length).Select(_ => "ACGT"[g.NextInt(4)]).ToArray());
        return new Tensor(new Shape(length, 4), OneHot.Encode(text));
    }

    private static void Fill(Tensor buffer, Generator g, float low, float high)
    {
        var values = Tensor.RandomUniform(g, buffer.Shape, low, high);
        values.Data.CopyTo(buffer.Data, 0);
    }
}
