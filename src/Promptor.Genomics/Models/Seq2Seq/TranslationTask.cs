using Promptor.Genomics.IO;
using Promptor.Genomics.Tokenization;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// The DNA coding sequence → protein task: genes cut from a genome with its ORF annotation,
/// windows of whole codons encoded with a <see cref="DnaTokenizer"/> (source) and a
/// <see cref="ProteinTokenizer"/> (target), scored by greedy decoding and by the cross-attention
/// alignment to codons.
/// </summary>
public static class TranslationTask
{
    /// <summary>The source tokenizer (A, C, G, T).</summary>
    public static DnaTokenizer SourceTokenizer { get; } = new();

    /// <summary>The target tokenizer (amino acids).</summary>
    public static ProteinTokenizer TargetTokenizer { get; } = new();

    /// <summary>
    /// The clean single-exon coding sequences of the ORFs in <paramref name="orfsPath"/> (BED6)
    /// found in the genome FASTA <paramref name="genomePath"/> (plain or gzip/bgzip).
    /// </summary>
    public static IReadOnlyList<CodingSequence> LoadGenes(string genomePath, string orfsPath)
    {
        var orfs = BedReader.Read(orfsPath);
        var genome = FastaReader.ReadDictionary(genomePath);
        return CodingSequences.Extract(genome, orfs);
    }

    /// <summary>Token ids of each example: (source bases, target residues), no special tokens.</summary>
    public static (int[] Source, int[] Target)[] Encode(IEnumerable<TranslationExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return examples.Select(e => (SourceTokenizer.Encode(e.Dna), TargetTokenizer.Encode(e.Protein))).ToArray();
    }

    /// <summary>
    /// Greedy-decodes every example (in batches of <paramref name="batchSize"/>) and compares the
    /// output with the true protein position by position (a missing residue counts as wrong).
    /// </summary>
    public static TranslationScore Evaluate(Seq2SeqTransformer model, IReadOnlyList<TranslationExample> examples, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        long residues = 0, correct = 0;
        int exact = 0;
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            var chunk = examples.Skip(start).Take(batchSize).ToArray();
            var decoded = Seq2SeqDecoder.GreedyBatch(model, chunk.Select(e => SourceTokenizer.Encode(e.Dna)).ToArray(), chunk.Max(e => e.Protein.Length) + 1);
            for (int i = 0; i < chunk.Length; i++)
            {
                string truth = chunk[i].Protein;
                string output = TargetTokenizer.Decode(decoded[i].Tokens);
                residues += truth.Length;
                int same = 0;
                for (int p = 0; p < Math.Min(truth.Length, output.Length); p++)
                {
                    same += truth[p] == output[p] ? 1 : 0;
                }
                correct += same;
                exact += output == truth ? 1 : 0;
            }
        }
        return new TranslationScore(residues, correct, examples.Count, exact);
    }

    /// <summary>The codon-alignment fractions of the teacher-forced cross-attention over <paramref name="examples"/>.</summary>
    public static AlignmentScore Alignment(Seq2SeqTransformer model, IReadOnlyList<TranslationExample> examples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        int layers = model.Options.DecoderLayers, heads = model.Options.Heads;
        var meanInside = new long[layers];
        var headInside = new long[layers, heads];
        long residues = 0;
        foreach (var e in examples)
        {
            var maps = CodonAlignment.Maps(model, SourceTokenizer.Encode(e.Dna), TargetTokenizer.Encode(e.Protein));
            int n = e.Protein.Length;
            residues += n;
            for (int l = 0; l < layers; l++)
            {
                meanInside[l] += CodonAlignment.InsideCodonCount(CodonAlignment.HeadMean(maps[l]), n);
                for (int h = 0; h < heads; h++)
                {
                    headInside[l, h] += CodonAlignment.InsideCodonCount(CodonAlignment.Head(maps[l], h), n);
                }
            }
        }
        double Fraction(long count) => residues == 0 ? 0 : (double)count / residues;
        return new AlignmentScore(residues,
            meanInside.Select(Fraction).ToArray(),
            Enumerable.Range(0, layers).Select(l => (IReadOnlyList<double>)Enumerable.Range(0, heads).Select(h => Fraction(headInside[l, h])).ToArray()).ToArray());
    }
}
