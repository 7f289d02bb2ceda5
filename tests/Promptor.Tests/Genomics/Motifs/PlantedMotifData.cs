using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Motifs;

/// <summary>Random sequences with one motif planted in some of them, and an importance track that marks the sites.</summary>
internal sealed record PlantedMotifData(string[] Sequences, float[][] Tracks, (int Sequence, int Start, Strand Strand)[] Sites)
{
    public static PlantedMotifData Create(Motif motif, int count, int length, double fraction, float noise, ulong seed)
    {
        var g = new Generator(seed);
        var sequences = new string[count];
        var tracks = new float[count][];
        var sites = new List<(int, int, Strand)>();
        for (int n = 0; n < count; n++)
        {
            var s = new char[length];
            for (int i = 0; i < length; i++)
            {
                s[i] = "ACGT"[g.NextDouble() < 0.4 ? 1 + g.NextInt(2) : 3 * g.NextInt(2)];
            }
            var track = new float[length];
            for (int i = 0; i < length; i++)
            {
                track[i] = (float)Math.Abs(noise * g.NextNormal());
            }
            if (g.NextDouble() < fraction)
            {
                int start = 10 + g.NextInt(length - motif.Width - 20);
                var strand = g.NextDouble() < 0.5 ? Strand.Plus : Strand.Minus;
                string site = motif.Sample(g);
                if (strand == Strand.Minus)
                {
                    site = Promptor.Genomics.Dna.ReverseComplement.Of(site);
                }
                site.CopyTo(0, s, start, site.Length);
                for (int i = start; i < start + site.Length; i++)
                {
                    track[i] += 1f;
                }
                sites.Add((n, start, strand));
            }
            sequences[n] = new string(s);
            tracks[n] = track;
        }
        return new PlantedMotifData(sequences, tracks, sites.ToArray());
    }
}
