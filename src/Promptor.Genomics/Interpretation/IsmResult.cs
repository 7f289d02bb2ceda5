namespace Promptor.Genomics.Interpretation;

/// <summary>
/// In-silico mutagenesis of one sequence: for every treatment t, position i and base b, the change
/// of the prediction when position i is set to base b, <c>f(x with x_i = b)[t] − f(x)[t]</c>. The
/// reference base's entries are 0.
/// </summary>
public sealed class IsmResult
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <param name="reference">The predictions for the unmutated sequence, one per treatment.</param>
    /// <param name="deltas">Changes <c>(T, L, 4)</c>, row-major.</param>
    /// <param name="referenceBases">Per position the reference base 0–3 (A, C, G, T), or −1 when ambiguous (then all four bases are alternatives).</param>
    public IsmResult(float[] reference, float[] deltas, int[] referenceBases)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(deltas);
        ArgumentNullException.ThrowIfNull(referenceBases);
        if (deltas.Length != reference.Length * referenceBases.Length * 4)
        {
            throw new ArgumentException($"Deltas hold {deltas.Length} values; expected T·L·4 = {reference.Length}·{referenceBases.Length}·4.", nameof(deltas));
        }
        Reference = reference;
        Deltas = deltas;
        ReferenceBases = referenceBases;
    }

    /// <summary>Number of treatments T.</summary>
    public int TreatmentCount => Reference.Length;

    /// <summary>Sequence length L.</summary>
    public int Length => ReferenceBases.Length;

    /// <summary>Predictions for the reference sequence, <c>(T)</c>.</summary>
    public float[] Reference { get; }

    /// <summary>Prediction changes <c>(T, L, 4)</c>; 0 at the reference base.</summary>
    public float[] Deltas { get; }

    /// <summary>The reference base index per position (−1 = ambiguous).</summary>
    public int[] ReferenceBases { get; }

    /// <summary>The change for <paramref name="treatment"/>, <paramref name="position"/> and <paramref name="basis"/> (0–3).</summary>
    public float Delta(int treatment, int position, int basis) => Deltas[((treatment * Length) + position) * 4 + basis];

    /// <summary>Per treatment and position the largest absolute change over the alternatives: <c>(T, L)</c>.</summary>
    public float[] MaxAbsolute() => Summarise(static (deltas, reference) =>
    {
        float best = 0f;
        for (int b = 0; b < 4; b++)
        {
            if (b != reference)
            {
                best = Math.Max(best, Math.Abs(deltas[b]));
            }
        }
        return best;
    });

    /// <summary>Per treatment and position the mean change over the alternative bases: <c>(T, L)</c>.</summary>
    public float[] MeanAlternative() => Summarise(static (deltas, reference) =>
    {
        float sum = 0f;
        int count = 0;
        for (int b = 0; b < 4; b++)
        {
            if (b != reference)
            {
                sum += deltas[b];
                count++;
            }
        }
        return sum / count;
    });

    /// <summary>The <c>(L)</c> row of a <c>(T, L)</c> summary for one treatment.</summary>
    public static float[] Row(float[] summary, int length, int treatment)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.AsSpan(treatment * length, length).ToArray();
    }

    private delegate float PositionSummary(ReadOnlySpan<float> deltas, int reference);

    private float[] Summarise(PositionSummary summary)
    {
        int l = Length;
        var result = new float[TreatmentCount * l];
        for (int t = 0; t < TreatmentCount; t++)
        {
            for (int i = 0; i < l; i++)
            {
                result[t * l + i] = summary(Deltas.AsSpan(((t * l) + i) * 4, 4), ReferenceBases[i]);
            }
        }
        return result;
    }
}
