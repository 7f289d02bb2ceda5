using System.Globalization;
using System.Text;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Head importance scores of every attention layer: <see cref="Raw"/> <c>I_h = E|∂L/∂ξ_h|</c>,
/// <see cref="Normalized"/> (divided by the ℓ2 norm of the layer's scores, so that layers compare),
/// and for treatment-side layers <see cref="PerTreatment"/> <c>E|∂L_t/∂ξ_h|</c> with the loss of one
/// treatment alone.
/// </summary>
/// <param name="Layers">The layers, in module order.</param>
/// <param name="Raw">Per layer, per head: the mean absolute gate gradient.</param>
/// <param name="Normalized">Per layer, per head: <see cref="Raw"/> over the layer's ℓ2 norm.</param>
/// <param name="Treatments">Treatment names (columns of <see cref="PerTreatment"/>).</param>
/// <param name="PerTreatment">Per layer (null for encoder layers or when not measured), per head, per treatment.</param>
/// <param name="Batches">Number of batches averaged.</param>
public sealed record HeadImportanceResult(
    IReadOnlyList<HeadImportanceLayer> Layers,
    IReadOnlyList<double[]> Raw,
    IReadOnlyList<double[]> Normalized,
    IReadOnlyList<string> Treatments,
    IReadOnlyList<double[][]?> PerTreatment,
    int Batches)
{
    /// <summary>Total number of heads over all layers.</summary>
    public int HeadCount => Raw.Sum(r => r.Length);

    /// <summary>
    /// Treatment specificity of a treatment-side head: its share of the layer's per-treatment importance,
    /// <c>s_t = I_{h,t} / Σ_h' I_{h',t}</c>, has coefficient of variation <c>std_t(s) / mean_t(s)</c>
    /// (0 when the head matters equally for every treatment) and is largest for the returned treatment.
    /// NaN and −1 for layers without per-treatment scores.
    /// </summary>
    public (double Specificity, int TopTreatment) Specificity(int layer, int head)
    {
        var perTreatment = PerTreatment[layer];
        if (perTreatment is null)
        {
            return (double.NaN, -1);
        }
        int t = Treatments.Count;
        var shares = new double[t];
        for (int k = 0; k < t; k++)
        {
            double total = perTreatment.Sum(h => h[k]);
            shares[k] = total > 0 ? perTreatment[head][k] / total : 0;
        }
        double mean = shares.Average();
        double std = Math.Sqrt(shares.Sum(s => (s - mean) * (s - mean)) / t);
        int top = Array.IndexOf(shares, shares.Max());
        return (mean > 0 ? std / mean : double.NaN, top);
    }

    /// <summary>
    /// One row per head: layer, head, importance, normalised importance, specificity, top treatment,
    /// then one column of per-treatment importance per treatment (empty for encoder layers).
    /// </summary>
    public string ToTsv()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("layer\thead\timportance\tnormalized\tspecificity\ttop_treatment");
        foreach (var name in Treatments)
        {
            sb.Append("\timportance_").Append(name.Replace('\t', ' '));
        }
        sb.Append('\n');
        for (int l = 0; l < Layers.Count; l++)
        {
            for (int h = 0; h < Raw[l].Length; h++)
            {
                var (specificity, top) = Specificity(l, h);
                sb.Append(inv, $"{Layers[l].Name}\t{h}\t{Raw[l][h]:G6}\t{Normalized[l][h]:G6}\t");
                sb.Append(double.IsNaN(specificity) ? "" : specificity.ToString("G4", inv)).Append('\t');
                sb.Append(top < 0 ? "" : Treatments[top]);
                for (int k = 0; k < Treatments.Count; k++)
                {
                    sb.Append('\t');
                    if (PerTreatment[l] is { } values)
                    {
                        sb.Append(values[h][k].ToString("G6", inv));
                    }
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }
}
