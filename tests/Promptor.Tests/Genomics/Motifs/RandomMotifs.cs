using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Motifs;

/// <summary>Random motifs for tests: columns drawn from a flat Dirichlet, or columns of real motifs shuffled.</summary>
internal static class RandomMotifs
{
    public static Motif Dirichlet(Generator g, string id, int width)
    {
        var p = new float[width * 4];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (float)-Math.Log(1 - g.NextDouble()); // Exp(1): normalised, a flat Dirichlet column
        }
        return new Motif(id, p);
    }

    /// <summary>The columns of <paramref name="source"/> in a random order, under a new id.</summary>
    public static Motif ShuffledColumns(Generator g, Motif source, string id)
    {
        var order = Enumerable.Range(0, source.Width).ToArray();
        g.Shuffle<int>(order);
        var p = new float[source.Width * 4];
        for (int w = 0; w < order.Length; w++)
        {
            source.Probabilities.Slice(order[w] * 4, 4).CopyTo(p.AsSpan(w * 4, 4));
        }
        return new Motif(id, p);
    }
}
