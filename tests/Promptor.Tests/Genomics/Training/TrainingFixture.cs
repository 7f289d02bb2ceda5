using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Training;

/// <summary>Tiny simulated data (300 genes × 60 bp, 3 treatments with strong planted motifs) and a tiny model.</summary>
internal static class TrainingFixture
{
    private static readonly Lazy<(PromoterDataset Dataset, SplitAssignment Split)> s_data = new(Create);

    public static PromoterDataset Dataset => s_data.Value.Dataset;

    public static SplitAssignment Split => s_data.Value.Split;

    /// <summary>The fixture's data with about a fifth of the cells masked; masked targets hold <paramref name="masked"/>(gene, treatment).</summary>
    public static PromoterDataset WithMissing(Func<int, int, float> masked)
    {
        var d = Dataset;
        int t = d.TreatmentCount;
        var y = d.Targets.ToArray();
        var m = d.Mask.ToArray();
        for (int i = 0; i < d.Count; i++)
        {
            for (int j = 0; j < t; j++)
            {
                if ((i * 7 + j * 3) % 5 == 0)
                {
                    m[i * t + j] = 0f;
                    y[i * t + j] = masked(i, j);
                }
            }
        }
        return new PromoterDataset(d.Sequences, new Tensor(d.Targets.Shape, y), new Tensor(d.Mask.Shape, m), d.GeneIds, d.Treatments);
    }

    /// <summary>Every parameter and buffer, flattened in state-dict order.</summary>
    public static Dictionary<string, float[]> Weights(Promptor.Nn.Module model) =>
        model.StateDict().ToDictionary(p => p.Key, p => p.Value.ToArray());

    /// <summary>True when both models hold bit-identical state.</summary>
    public static bool BitIdentical(Dictionary<string, float[]> a, Dictionary<string, float[]> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && p.Value.Length == other.Length
            && p.Value.Zip(other).All(z => BitConverter.SingleToInt32Bits(z.First) == BitConverter.SingleToInt32Bits(z.Second)));

    public static CondPromoterOptions TinyModel(int outputs = 1, int modelDim = 16, float dropout = 0.1f) => new()
    {
        TreatmentCount = 3,
        SequenceLength = 60,
        Convolutions = [new(16, 9, 1, 4)],
        ModelDim = modelDim,
        SelfAttentionBlocks = 0,
        SelfAttentionHeads = 2,
        CrossAttentionHeads = 2,
        HeadHidden = 16,
        Dropout = dropout,
        OutputsPerTreatment = outputs,
    };

    private static (PromoterDataset, SplitAssignment) Create()
    {
        var options = new SimulationOptions
        {
            SequenceCount = 300,
            SequenceLength = 60,
            Motifs =
            [
                Motif.FromConsensus("STRE", "TAAGGGGA", match: 1f),
                Motif.FromConsensus("YRE", "TTACTAA", match: 1f),
                Motif.FromConsensus("PAC", "GCGATGAG", match: 1f),
            ],
            SitesPerMotif = 0.5,
            Treatments =
            [
                new TreatmentSpec("heat", new Dictionary<string, float> { ["STRE"] = 2f }),
                new TreatmentSpec("peroxide", new Dictionary<string, float> { ["YRE"] = 2f, ["STRE"] = 0.5f }),
                new TreatmentSpec("starvation", new Dictionary<string, float> { ["PAC"] = -2f }),
            ],
            NoiseStd = 0.2f,
            Seed = 11,
        };
        var sim = PromoterSimulator.Simulate(options);
        var dataset = PromoterDataset.Create(sim.Sequences.Select(s => s.Sequence).ToArray(), sim.Expression);
        return (dataset, Splits.Random(dataset.Count, seed: 5, validationFraction: 0.2, testFraction: 0.1));
    }
}
