namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Base-resolution attributions of one sequence for some treatments: <see cref="Scores"/>
/// <c>(n, L, 4)</c> for the treatments <see cref="Treatments"/> (indices into the model's outputs).
/// For integrated gradients the predictions at the input and at the baseline are kept, so that
/// completeness (scores summing to <c>f(x) − f(x')</c>) can be checked.
/// </summary>
/// <param name="Method">How the scores were made: <c>grad</c> (gradient × input) or <c>ig</c> (integrated gradients).</param>
/// <param name="Treatments">Output indices, one per row of scores.</param>
/// <param name="Length">Sequence length L.</param>
/// <param name="Scores">Attributions <c>(n, L, 4)</c>, row-major.</param>
/// <param name="Prediction">The prediction for the sequence, per listed treatment.</param>
/// <param name="BaselinePrediction">The prediction for the baseline per listed treatment; null for gradient × input.</param>
public sealed record AttributionResult(string Method, IReadOnlyList<int> Treatments, int Length, float[] Scores, float[] Prediction, float[]? BaselinePrediction)
{
    /// <summary>The score of row <paramref name="row"/> (a position in <see cref="Treatments"/>), <paramref name="position"/> and <paramref name="basis"/>.</summary>
    public float Score(int row, int position, int basis) => Scores[((row * Length) + position) * 4 + basis];

    /// <summary>Per row the sum of all scores, in double.</summary>
    public double[] Totals()
    {
        var totals = new double[Treatments.Count];
        for (int r = 0; r < totals.Length; r++)
        {
            foreach (float s in Scores.AsSpan(r * Length * 4, Length * 4))
            {
                totals[r] += s;
            }
        }
        return totals;
    }

    /// <summary>Per row and position the sum over the four bases: a <c>(n, L)</c> track.</summary>
    public float[] PositionTotals()
    {
        var track = new float[Treatments.Count * Length];
        for (int i = 0; i < track.Length; i++)
        {
            var column = Scores.AsSpan(i * 4, 4);
            track[i] = column[0] + column[1] + column[2] + column[3];
        }
        return track;
    }
}
