using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Interpretation;

/// <summary>Tiny untrained models and random promoters for the attention-map tests.</summary>
internal static class AttentionTestModels
{
    public static readonly string[] Treatments = ["heat", "peroxide", "acid"];

    public static CondPromoterOptions Tiny(int selfAttentionBlocks = 0, ConditioningMethod conditioning = ConditioningMethod.CrossAttention) => new()
    {
        TreatmentCount = 3,
        SequenceLength = 60,
        Convolutions = [new(8, 5, 1, 2), new(8, 3, 2, 2)],
        ModelDim = 8,
        SelfAttentionBlocks = selfAttentionBlocks,
        SelfAttentionHeads = 2,
        CrossAttentionHeads = 2,
        HeadHidden = 8,
        Dropout = 0.1f,
        Conditioning = conditioning,
    };

    public static CondPromoter Model(int selfAttentionBlocks = 0, ConditioningMethod conditioning = ConditioningMethod.CrossAttention, ulong seed = 3)
    {
        var model = new CondPromoter(Tiny(selfAttentionBlocks, conditioning), new Generator(seed));
        model.Eval();
        return model;
    }

    public static FastaRecord[] Genes(int count, int length = 60, ulong seed = 11)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, count)
            .Select(i => new FastaRecord($"g{i}", "", new string(Enumerable.Range(0, length).Select(_ => "ACGT"[g.NextInt(4)]).ToArray())))
            .ToArray();
    }
}
