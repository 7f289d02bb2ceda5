using System.Globalization;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Reports;
using Promptor.Nn.Serialization;

namespace Promptor.Genomics.Workflows;

/// <summary>What <see cref="RunInterpretation.Write"/> produced.</summary>
/// <param name="Genes">Genes whose attention was mapped.</param>
/// <param name="ExampleGenes">The genes drawn in <c>attention/example_genes.tsv</c>.</param>
/// <param name="MotifTreatments">Treatments searched for motifs.</param>
/// <param name="Motifs">The discovered motifs with their best database matches.</param>
public sealed record RunInterpretationResult(int Genes, IReadOnlyList<string> ExampleGenes, IReadOnlyList<string> MotifTreatments, MotifReport? Motifs);

/// <summary>
/// The interpretation files of a trained run, in the layout the HTML report reads
/// (<see cref="ReportFiles"/>): base-pair attention of every given gene under every treatment,
/// averaged into <c>attention/meta_profile.tsv</c>; the maps of a few example genes (the
/// strongest responders under the highlighted treatments) in <c>attention/example_genes.tsv</c>
/// and <c>.fa</c>; and motifs extracted from the attention of the genes that respond most under
/// each chosen treatment, matched against a motif database, in <c>motifs/top_motifs.tsv</c> and
/// <c>motifs/motifs.meme</c>.
/// </summary>
public static class RunInterpretation
{
    private const int ChunkSize = 64;

    /// <summary>Writes the files into <paramref name="runDirectory"/>.</summary>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="model">A trained cross-attention model.</param>
    /// <param name="genes">Promoters to map (e.g. the test genes), with their targets in <paramref name="targets"/>.</param>
    /// <param name="targets">Observed responses <c>(genes, treatments)</c> row-major, NaN where missing; ranks the example and motif genes.</param>
    /// <param name="treatments">The model's treatments, in order.</param>
    /// <param name="exampleTreatments">Treatments whose strongest responders become example genes and whose attention is searched for motifs.</param>
    /// <param name="database">Known motifs to match, or null.</param>
    /// <param name="motifGenes">Responding genes per treatment searched for motifs (default 150).</param>
    public static RunInterpretationResult Write(string runDirectory, CondPromoter model, IReadOnlyList<FastaRecord> genes, float[] targets,
        IReadOnlyList<string> treatments, IReadOnlyList<string> exampleTreatments, IReadOnlyList<Motif>? database, int motifGenes = 150)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(genes);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(exampleTreatments);
        int t = treatments.Count;
        if (targets.Length != genes.Count * t)
        {
            throw new ArgumentException($"Expected {genes.Count} × {t} targets, got {targets.Length}.", nameof(targets));
        }
        if (!AttentionMaps.HasAttention(model.Options))
        {
            return new RunInterpretationResult(0, [], [], null);
        }
        int length = model.Options.SequenceLength;
        var chosen = exampleTreatments.Select(name => (Name: name, Index: IndexOf(treatments, name))).ToArray();

        // The genes that respond most (largest |target|) under each chosen treatment.
        var responders = chosen.ToDictionary(c => c.Name, c => Enumerable.Range(0, genes.Count)
            .Where(g => float.IsFinite(targets[g * t + c.Index]))
            .OrderByDescending(g => Math.Abs(targets[g * t + c.Index]))
            .Take(motifGenes).ToHashSet());
        var examples = chosen
            .Select(c => responders[c.Name].OrderByDescending(g => Math.Abs(targets[g * t + c.Index])).FirstOrDefault(-1))
            .Where(g => g >= 0).Distinct().ToArray();

        var profile = new AttentionMetaProfile(treatments, length);
        var tracks = new List<ImportanceTrack>();
        var exampleRows = new List<string>();
        for (int start = 0; start < genes.Count; start += ChunkSize)
        {
            var chunk = genes.Skip(start).Take(ChunkSize).ToArray();
            var maps = AttentionMaps.Compute(model, chunk, treatments, keepHeads: false);
            profile.Add(maps);
            for (int g = 0; g < chunk.Length; g++)
            {
                int gene = start + g;
                foreach (var (name, index) in chosen)
                {
                    if (responders[name].Contains(gene))
                    {
                        tracks.Add(new ImportanceTrack(chunk[g].Id, name, maps.Map(g, index).ToArray()));
                    }
                }
                if (examples.Contains(gene))
                {
                    string table = AttentionExport.ExampleGenesTsv(maps, [g]);
                    exampleRows.Add(exampleRows.Count == 0 ? table : table[(table.IndexOf('\n') + 1)..]);
                }
            }
        }

        string attention = Path.Combine(runDirectory, Path.GetDirectoryName(ReportFiles.MetaProfile)!);
        Directory.CreateDirectory(attention);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, ReportFiles.MetaProfile), profile.ToTsv());
        if (exampleRows.Count > 0)
        {
            AtomicFile.WriteAllText(Path.Combine(runDirectory, ReportFiles.ExampleGenes), string.Concat(exampleRows));
            FastaWriter.Write(Path.Combine(runDirectory, ReportFiles.ExampleSequences), examples.Order().Select(g => genes[g]));
        }

        MotifReport? motifs = null;
        if (tracks.Count > 0)
        {
            var sequences = genes.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Sequence, StringComparer.Ordinal);
            motifs = MotifReport.Build(sequences, tracks, database, treatments: chosen.Select(c => c.Name).ToArray());
            motifs.Write(Path.Combine(runDirectory, Path.GetDirectoryName(ReportFiles.TopMotifs)!));
        }
        return new RunInterpretationResult(genes.Count, examples.Select(g => genes[g].Id).ToArray(), chosen.Select(c => c.Name).ToArray(), motifs);
    }

    private static int IndexOf(IReadOnlyList<string> treatments, string name)
    {
        for (int i = 0; i < treatments.Count; i++)
        {
            if (string.Equals(treatments[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Unknown treatment '{name}'."));
    }
}
