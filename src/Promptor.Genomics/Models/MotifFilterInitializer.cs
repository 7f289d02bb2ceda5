using Promptor.Genomics.Dna;
using Promptor.Genomics.Motifs;
using Promptor.Nn.Layers;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models;

/// <summary>
/// Seeds first-layer convolution filters with known motifs (motif-initialised CNNs): filter f
/// becomes the log-odds matrix <c>log2(p / 0.25)</c> of motif f, centred per position (so a
/// uniform or ambiguous base scores 0) and placed in the middle of the kernel. Motifs wider than
/// the kernel keep their most informative window. The remaining filters keep their random
/// initialisation, and every filter stays trainable. With few training sequences this starts the
/// scanners at real binding sites instead of noise.
/// </summary>
public static class MotifFilterInitializer
{
    private const float Pseudocount = 0.01f;

    /// <summary>
    /// Writes motifs into the first convolution of <paramref name="model"/>; returns the number of
    /// filters set. See <see cref="Apply(Conv1d, IReadOnlyList{Motif}, int?)"/>.
    /// </summary>
    public static int Apply(CondPromoter model, IReadOnlyList<Motif> motifs, int? maxFilters = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var first = model.NamedChildren().Select(c => c.Module).OfType<Conv1d>().FirstOrDefault()
            ?? throw new InvalidOperationException("The model has no convolution to initialise.");
        return Apply(first, motifs, maxFilters);
    }

    /// <summary>
    /// Writes motifs into filters 0, 1, … of <paramref name="convolution"/> (which must read the 4
    /// DNA channels). When there are more motifs than filters to fill — <paramref name="maxFilters"/>
    /// (default: half of the filters, so the network still has free scanners) — the motifs with the
    /// most information content in their best kernel-wide window are used, in decreasing order.
    /// </summary>
    /// <returns>The number of filters initialised.</returns>
    /// <exception cref="ArgumentException">The convolution does not read 4 channels, or <paramref name="maxFilters"/> is negative or above the filter count.</exception>
    public static int Apply(Conv1d convolution, IReadOnlyList<Motif> motifs, int? maxFilters = null)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(motifs);
        if (convolution.InChannels != DnaAlphabet.Size)
        {
            throw new ArgumentException($"Motif initialisation needs a convolution over the {DnaAlphabet.Size} DNA channels, got {convolution.InChannels}.", nameof(convolution));
        }
        int limit = maxFilters ?? convolution.OutChannels / 2;
        if (limit < 0 || limit > convolution.OutChannels)
        {
            throw new ArgumentException($"maxFilters must be in [0, {convolution.OutChannels}], got {limit}.", nameof(maxFilters));
        }
        int k = convolution.KernelSize;
        var chosen = motifs
            .Select((motif, index) => (Motif: motif, Index: index, Window: BestWindow(motif, k)))
            .OrderByDescending(m => m.Window.Information)
            .ThenBy(m => m.Index)
            .Take(limit)
            .ToArray();
        var weight = convolution.Weight.Data;                                    // (out, 4, k)
        using (Tape.NoGrad())
        {
            for (int f = 0; f < chosen.Length; f++)
            {
                var (motif, _, window) = chosen[f];
                var filter = weight.AsSpan(f * DnaAlphabet.Size * k, DnaAlphabet.Size * k);
                filter.Clear();
                int width = Math.Min(motif.Width, k), offset = (k - width) / 2;
                for (int j = 0; j < width; j++)
                {
                    var logOdds = LogOdds(motif, window.Start + j);
                    for (int b = 0; b < DnaAlphabet.Size; b++)
                    {
                        filter[b * k + offset + j] = logOdds[b];
                    }
                }
            }
        }
        return chosen.Length;
    }

    /// <summary>Centred log-odds of one motif position against a uniform background: 4 values summing to 0.</summary>
    public static float[] LogOdds(Motif motif, int position)
    {
        ArgumentNullException.ThrowIfNull(motif);
        var values = new float[DnaAlphabet.Size];
        float mean = 0;
        for (int b = 0; b < values.Length; b++)
        {
            float p = (motif[position, b] + Pseudocount) / (1 + DnaAlphabet.Size * Pseudocount);
            values[b] = MathF.Log2(p / 0.25f);
            mean += values[b] / values.Length;
        }
        for (int b = 0; b < values.Length; b++)
        {
            values[b] -= mean;
        }
        return values;
    }

    /// <summary>The window of at most <paramref name="width"/> positions with the most information content (bits).</summary>
    private static (int Start, double Information) BestWindow(Motif motif, int width)
    {
        var information = new double[motif.Width];
        for (int j = 0; j < motif.Width; j++)
        {
            double bits = 2;
            for (int b = 0; b < DnaAlphabet.Size; b++)
            {
                double p = motif[j, b];
                bits += p > 0 ? p * Math.Log2(p) : 0;
            }
            information[j] = bits;
        }
        int span = Math.Min(width, motif.Width);
        int bestStart = 0;
        double best = double.NegativeInfinity;
        for (int start = 0; start + span <= motif.Width; start++)
        {
            double sum = information.AsSpan(start, span).ToArray().Sum();
            if (sum > best)
            {
                best = sum;
                bestStart = start;
            }
        }
        return (bestStart, best);
    }
}
