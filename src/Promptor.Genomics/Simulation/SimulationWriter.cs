using System.Globalization;
using Promptor.Genomics.Data;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Genomics.Simulation;

/// <summary>
/// Writes simulated data to a folder, each file atomically: <c>sequences.fa</c>, <c>expression.tsv</c>
/// (noisy, wide), <c>expression_noiseless.tsv</c>, <c>sites.bed</c> (every planted site; chrom = sequence
/// id), <c>ground_truth.tsv</c> (site × treatment under which it acts), <c>effects.tsv</c> (treatment ×
/// motif effects and interaction terms) and <c>motifs.meme</c>.
/// </summary>
public static class SimulationWriter
{
    /// <summary>The file names written, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["sequences.fa", "expression.tsv", "expression_noiseless.tsv", "sites.bed", "ground_truth.tsv", "effects.tsv", "motifs.meme"];

    /// <summary>Writes <paramref name="data"/> into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="data">The simulation.</param>
    /// <param name="overwrite">Replace existing files; default false.</param>
    /// <exception cref="IOException">A file exists and <paramref name="overwrite"/> is false (nothing is written then).</exception>
    public static void Write(string directory, SimulatedData data, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(data);
        if (!overwrite)
        {
            foreach (var name in FileNames)
            {
                string p = Path.Combine(directory, name);
                if (File.Exists(p))
                {
                    throw new IOException($"{p} already exists (pass overwrite to replace it).");
                }
            }
        }
        Directory.CreateDirectory(directory);
        FastaWriter.Write(Path.Combine(directory, FileNames[0]), data.Sequences);
        ExpressionTableWriter.WriteWide(Path.Combine(directory, FileNames[1]), data.Expression);
        ExpressionTableWriter.WriteWide(Path.Combine(directory, FileNames[2]), data.Noiseless);
        DataFile.WriteTextAtomic(Path.Combine(directory, FileNames[3]), w =>
        {
            foreach (var s in data.Sites)
            {
                w.WriteLine($"{s.GeneId}\t{s.Start}\t{s.End}\t{s.MotifId}\t0\t{(s.Strand == Strand.Minus ? '-' : '+')}");
            }
        });
        DataFile.WriteTextAtomic(Path.Combine(directory, FileNames[4]), w =>
        {
            w.WriteLine("gene\ttreatment\tmotif\tstart\tend\tstrand\teffect\tinteraction");
            foreach (var a in data.ActiveSites)
            {
                w.WriteLine($"{a.GeneId}\t{a.Treatment}\t{a.MotifId}\t{a.Start}\t{a.End}\t{(a.Strand == Strand.Minus ? '-' : '+')}\t{F(a.Effect)}\t{F(a.Interaction)}");
            }
        });
        DataFile.WriteTextAtomic(Path.Combine(directory, FileNames[5]), w =>
        {
            w.WriteLine("treatment\tmotif\tpartner\teffect");
            foreach (var t in data.Treatments)
            {
                foreach (var (motif, effect) in t.MotifEffects)
                {
                    w.WriteLine($"{t.Name}\t{motif}\t\t{F(effect)}");
                }
                foreach (var term in t.InteractionTerms)
                {
                    w.WriteLine($"{t.Name}\t{term.MotifA}\t{term.MotifB}\t{F(term.Effect)}");
                }
            }
        });
        MemeWriter.Write(Path.Combine(directory, FileNames[6]), data.Motifs);
    }

    private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
