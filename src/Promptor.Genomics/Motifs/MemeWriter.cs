using System.Globalization;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>Writes motifs in MEME minimal motif format (version 4), atomically; gzip for <c>.gz</c>.</summary>
public static class MemeWriter
{
    /// <summary>Writes <paramref name="motifs"/> to <paramref name="path"/>.</summary>
    /// <param name="path">Output file.</param>
    /// <param name="motifs">The motifs (unique ids).</param>
    /// <param name="background">Background frequencies of A, C, G, T; default uniform.</param>
    public static void Write(string path, IEnumerable<Motif> motifs, IReadOnlyList<float>? background = null)
    {
        ArgumentNullException.ThrowIfNull(motifs);
        var list = motifs.ToList();
        var bg = background ?? [0.25f, 0.25f, 0.25f, 0.25f];
        if (bg.Count != 4)
        {
            throw new ArgumentException("The background needs 4 frequencies (A, C, G, T).", nameof(background));
        }
        DataFile.WriteTextAtomic(path, w =>
        {
            var inv = CultureInfo.InvariantCulture;
            w.WriteLine("MEME version 4");
            w.WriteLine();
            w.WriteLine("ALPHABET= ACGT");
            w.WriteLine();
            w.WriteLine("strands: + -");
            w.WriteLine();
            w.WriteLine("Background letter frequencies");
            w.WriteLine(string.Format(inv, "A {0:0.00000} C {1:0.00000} G {2:0.00000} T {3:0.00000}", bg[0], bg[1], bg[2], bg[3]));
            foreach (var m in list)
            {
                w.WriteLine();
                w.WriteLine(m.Name.Length > 0 ? $"MOTIF {m.Id} {m.Name}" : $"MOTIF {m.Id}");
                w.WriteLine();
                string sites = (m.Sites ?? 20).ToString("0.###", inv);
                w.WriteLine($"letter-probability matrix: alength= 4 w= {m.Width} nsites= {sites} E= 0");
                for (int i = 0; i < m.Width; i++)
                {
                    w.WriteLine(string.Format(inv, " {0:0.000000}\t{1:0.000000}\t{2:0.000000}\t{3:0.000000}", m[i, 0], m[i, 1], m[i, 2], m[i, 3]));
                }
            }
        });
    }
}
