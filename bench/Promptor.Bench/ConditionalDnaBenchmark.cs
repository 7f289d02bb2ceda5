using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.Generative;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models.Classification;
using Promptor.Genomics.Models.Gpt;
using Promptor.Genomics.Tokenization;
using Promptor.Tensors;

namespace Promptor.Bench;

/// <summary>
/// <c>conditional-dna</c>: conditional DNA generation scored by a classifier (issue "generative
/// transformers"). On the bundled E. coli σ70 promoters and non-promoters (81 nt, Umarov &amp;
/// Solovyev 2017), split per class into 80 / 10 / 10 %:
/// (1) trains a <see cref="SequenceClassifier"/> and reports its held-out accuracy;
/// (2) trains a label-conditioned GPT (the label added to the begin token, label dropout for
/// classifier-free guidance);
/// (3) samples sequences for each class at several guidance weights, and unconditionally, and
/// reports the fraction the classifier assigns to the requested class and the 6-mer spectrum
/// distance to that class's held-out sequences, beside held-out real sequences as the ceiling.
/// Keys: epochs (GPT, default 30), classifier-epochs (20), dim (64), blocks (4), heads (4),
/// conditioning (Prefix), label-dropout (0.1), samples (500 per class and setting),
/// guidance (comma list, default 1,2,4; 1 is plain conditional sampling), seed (1).
/// </summary>
public static class ConditionalDnaBenchmark
{
    private static readonly string[] ClassNames = ["non-promoter", "promoter"];

    /// <summary>Runs the benchmark with <c>key=value</c> arguments and prints its tables.</summary>
    public static int Run(string[] args)
    {
        var settings = new BenchSettings(args);
        var inv = CultureInfo.InvariantCulture;
        ulong seed = (ulong)settings.Int("seed", 1);
        string dataDirectory = YeastStressTask.FindDataDirectory() ?? throw new DirectoryNotFoundException("data/ not found");
        string folder = Path.Combine(dataDirectory, "promoter-classification-umarov2017");
        var byClass = new[] { "Ecoli_non_prom.fa.gz", "Ecoli_prom.fa.gz" }
            .Select(f => FastaReader.Read(Path.Combine(folder, f)).Select(r => r.Sequence).ToArray()).ToArray();

        // Per-class 80 / 10 / 10 split.
        var split = new (List<string> Seq, List<int> Label)[3];
        for (int s = 0; s < 3; s++)
        {
            split[s] = ([], []);
        }
        var rng = new Generator(seed);
        for (int c = 0; c < byClass.Length; c++)
        {
            var order = Enumerable.Range(0, byClass[c].Length).ToArray();
            rng.Shuffle(order.AsSpan());
            int nTest = byClass[c].Length / 10, nValidation = byClass[c].Length / 10;
            for (int i = 0; i < order.Length; i++)
            {
                int part = i < nTest ? 2 : i < nTest + nValidation ? 1 : 0;
                split[part].Seq.Add(byClass[c][order[i]]);
                split[part].Label.Add(c);
            }
        }
        var (train, validation, test) = (split[0], split[1], split[2]);
        int length = byClass[0][0].Length;
        Console.WriteLine(string.Create(inv, $"# conditional-dna: {string.Join(' ', args)}"));
        Console.WriteLine(string.Create(inv,
            $"E. coli, {length} nt: {byClass[1].Length} promoters, {byClass[0].Length} non-promoters; train {train.Seq.Count}, validation {validation.Seq.Count}, test {test.Seq.Count}"));

        // (1) The judge: a CNN classifier trained on the real sequences.
        var clock = Stopwatch.StartNew();
        var classifier = new SequenceClassifier(new SequenceClassifierOptions { ClassCount = 2 }, new Generator(seed + 1));
        new SequenceClassifierTrainer(new SequenceClassifierTrainerOptions { Epochs = settings.Int("classifier-epochs", 20), Seed = seed + 2 })
        {
            EpochCompleted = e => Console.WriteLine(string.Create(inv,
                $"classifier epoch {e.Epoch}: train loss {e.TrainLoss:F4}, validation accuracy {e.Validation.Accuracy:P1}, balanced {e.Validation.BalancedAccuracy:P1}, AUROC {e.Validation.Auroc:F3}")),
        }.Fit(classifier, train.Seq, train.Label, validation.Seq, validation.Label);
        var testScores = SequenceClassifierTrainer.Score(SequenceClassifierTrainer.Probabilities(classifier, test.Seq), test.Label, 2);
        Console.WriteLine(string.Create(inv,
            $"classifier on held-out test sequences: accuracy {testScores.Accuracy:P1}, balanced accuracy {testScores.BalancedAccuracy:P1}, AUROC {testScores.Auroc:F3} ({clock.Elapsed.TotalSeconds:F0} s)"));

        // (2) The label-conditioned GPT.
        clock.Restart();
        var tok = new DnaTokenizer();
        int[] Encode(string s) => [tok.BeginId, .. tok.Encode(s)];
        var gpt = new Gpt(new GptOptions
        {
            VocabSize = tok.VocabularySize,
            ContextLength = length + 1,   // the begin token and all bases
            ModelDim = settings.Int("dim", 64),
            Heads = settings.Int("heads", 4),
            Blocks = settings.Int("blocks", 4),
            ClassCount = 2,
            Conditioning = settings.Enum("conditioning", LabelConditioning.Prefix),
            LabelDropout = (float)settings.Double("label-dropout", 0.1),
        }, new Generator(seed + 3));
        var result = new LanguageModelTrainer(new LanguageModelTrainerOptions
        {
            PadId = tok.PadId,
            Epochs = settings.Int("epochs", 30),
            BatchSize = 64,
            WeightDecay = 0.1,
            Patience = 8,
            Seed = seed + 4,
        })
        {
            EpochCompleted = e => Console.WriteLine(string.Create(inv,
                $"gpt epoch {e.Epoch}: train {e.TrainNatsPerToken:F4} nats/token, validation {e.Validation!.Value.NatsPerToken:F4} nats/token = {e.Validation.Value.BitsPerToken:F4} bits/base ({e.Seconds:F0} s)")),
        }.Train(gpt, train.Seq.Select(Encode).ToArray(), validation.Seq.Select(Encode).ToArray(), train.Label, validation.Label);
        Console.WriteLine(string.Create(inv,
            $"gpt: {gpt.Parameters().Sum(p => (long)p.Size):N0} parameters, best epoch {result.BestEpoch}, validation {result.BestValidation!.Value.BitsPerToken:F4} bits/base ({clock.Elapsed.TotalMinutes:F1} min)"));
        gpt.Eval();

        // (3) Samples per class and guidance weight, judged by the classifier.
        int count = settings.Int("samples", 500);
        var weights = settings.Text("guidance", "1,2,4").Split(',').Select(w => float.Parse(w, inv)).ToArray();
        var testSpectra = Enumerable.Range(0, 2).Select(c => KmerSpectrum.Frequencies(test.Seq.Where((_, i) => test.Label[i] == c))).ToArray();
        Console.WriteLine();
        Console.WriteLine("| sequences | requested class | full length | classified as requested | mean P(requested) | 6-mer TV distance to held-out of that class |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (int c = 0; c < 2; c++)
        {
            var real = test.Seq.Where((_, i) => test.Label[i] == c).ToArray();
            Console.WriteLine(Row("held-out real sequences", c, real, length, classifier, testSpectra[c]));
        }
        var unconditional = Sample(gpt, tok, length, count, null, null, new Generator(seed + 5));
        for (int c = 0; c < 2; c++)
        {
            Console.WriteLine(Row("GPT, unconditional (null label)", c, unconditional, length, classifier, testSpectra[c]));
        }
        foreach (float w in weights)
        {
            for (int c = 0; c < 2; c++)
            {
                var samples = Sample(gpt, tok, length, count, c, w == 1f ? null : w, new Generator(seed + 6 + (ulong)c));
                string name = w == 1f ? "GPT, conditional" : string.Create(inv, $"GPT, guidance w = {w:0.##}");
                Console.WriteLine(Row(name, c, samples, length, classifier, testSpectra[c]));
            }
        }
        return 0;
    }

    private static string[] Sample(Gpt gpt, DnaTokenizer tok, int length, int count, int? label, float? guidance, Generator generator)
    {
        // Windows have a fixed length: no special token (padding, begin, end) may be sampled.
        var sampler = new GptSampler(gpt, new SamplingOptions
        {
            MaxNewTokens = length,
            GuidanceScale = guidance,
            SuppressedTokens = [tok.PadId, tok.BeginId, tok.EndId],
        });
        var result = new List<string>();
        for (int start = 0; start < count; start += 250)
        {
            int n = Math.Min(250, count - start);
            var labels = label is { } l ? Enumerable.Repeat(l, n).ToArray() : null;
            result.AddRange(sampler.Generate(Enumerable.Repeat(new[] { tok.BeginId }, n).ToArray(), generator, labels).Select(ids => tok.Decode(ids)));
        }
        return [.. result];
    }

    /// <summary>
    /// One table row. A sample shorter than the window (possible only if special tokens were not
    /// suppressed) counts as not classified as requested, with P(requested) = 0.
    /// </summary>
    private static string Row(string name, int requested, IReadOnlyList<string> sequences, int length, SequenceClassifier classifier, double[] reference)
    {
        var full = sequences.Where(s => s.Length == length).ToArray();
        var p = SequenceClassifierTrainer.Probabilities(classifier, full);
        double hit = p.Count(q => SequenceClassifierTrainer.ArgMax(q) == requested) / (double)sequences.Count;
        double mean = p.Sum(q => q[requested]) / sequences.Count;
        double tv = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(sequences), reference);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {ClassNames[requested]} | {full.Length / (double)sequences.Count:P1} | {hit:P1} | {mean:F3} | {tv:F4} |");
    }
}
