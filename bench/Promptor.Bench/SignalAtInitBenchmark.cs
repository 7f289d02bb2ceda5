using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Models;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// <c>signal-at-init</c>: how much of the gene-to-gene signal of 128 yeast promoters survives each
/// stage of an untrained default <see cref="CondPromoter"/> (training mode, dropout off): for the
/// conv features, the encoded positions, the attended vectors, <c>LayerNorm(q + attended)</c> and the
/// predictions, the variance across genes (per feature, averaged) as a fraction of the total
/// variance. A small fraction at the head's input means the network first has to grow its weights
/// before the genes' differences can move the loss — the delay before learning starts.
/// Keys: query-std (treatment embedding init, default 1), attended-bn (0/1), seed (1).
/// </summary>
public static class SignalAtInitBenchmark
{
    /// <summary>Runs the measurement with <c>key=value</c> arguments and prints one table.</summary>
    public static int Run(string[] args)
    {
        var settings = new BenchSettings(args);
        string dataDirectory = YeastStressTask.FindDataDirectory() ?? throw new DirectoryNotFoundException("data/ not found");
        var task = YeastStressTask.Load(dataDirectory);
        var options = new CondPromoterOptions
        {
            TreatmentCount = task.Treatments.Count,
            SequenceLength = task.Dataset.SequenceLength,
            Dropout = 0f,
            TreatmentEmbeddingStd = (float)settings.Double("query-std", 1),
            AttendedBatchNorm = settings.Int("attended-bn", 0) == 1,
        };
        var model = new CondPromoter(options, new Generator((ulong)settings.Int("seed", 1)));
        model.Train();
        const int genes = 128;
        var batch = task.Dataset.GetBatch(Enumerable.Range(0, genes).ToArray());
        Console.WriteLine($"# signal-at-init: {string.Join(' ', args)}");
        Console.WriteLine("| stage | shape | total variance | variance across genes | fraction across genes |");
        Console.WriteLine("|---|---|---|---|---|");
        using (Tape.NoGrad())
        {
            var conv = model.Convolve(batch.Sequences);
            Print("conv features", conv, conv.Shape[1] * conv.Shape[2]);
            var memory = model.EncodeFeatures(conv);
            Print("encoded positions", memory, memory.Shape[1] * memory.Shape[2]);
            var table = model.TreatmentEmbedding!.Weight;
            var queries = table.Unsqueeze(0).BroadcastTo(new Shape(genes, table.Shape[0], table.Shape[1]));
            var attended = model.CrossAttention!.Forward(queries, memory, memory).Output;
            Print("attended vectors", attended, table.Size);
            var fed = model.AttendedNorm is null ? attended : model.AttendedNorm.Forward(attended.Permute(0, 2, 1)).Permute(0, 2, 1);
            var h = model.Norm!.Forward(queries + fed);
            Print("LayerNorm(q + attended)", h, table.Size);
            Print("predictions", model.ForwardEncoded(memory, needWeights: false).Predictions, table.Shape[0]);
        }
        return 0;
    }

    private static void Print(string stage, Tensor x, int perGene)
    {
        var data = x.ToArray();
        int genes = data.Length / perGene;
        double mean = data.Average(v => (double)v), total = data.Sum(v => (v - mean) * (v - mean)), across = 0;
        for (int f = 0; f < perGene; f++)
        {
            double m = 0;
            for (int g = 0; g < genes; g++)
            {
                m += data[g * perGene + f];
            }
            m /= genes;
            for (int g = 0; g < genes; g++)
            {
                double d = data[g * perGene + f] - m;
                across += d * d;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {stage} | {x.Shape} | {total / data.Length:F4} | {across / data.Length:F5} | {across / total:P2} |"));
    }
}
