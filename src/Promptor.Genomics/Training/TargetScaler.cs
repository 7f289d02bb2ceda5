using Promptor.Genomics.Data;
using Promptor.Tensors;

namespace Promptor.Genomics.Training;

/// <summary>
/// Per-treatment standardisation of targets, <c>z = (y − mean_t) / std_t</c>, fitted on the training
/// genes only (masked cells ignored) so that nothing leaks from validation or test. The standard
/// deviation is the population one (ddof 0, as scikit-learn's <c>StandardScaler</c>); a treatment with
/// fewer than two observed training genes or zero spread gets std 1, and one with none gets mean 0.
/// Saved in checkpoint metadata and <c>run.json</c>; immutable.
/// </summary>
public sealed class TargetScaler
{
    private readonly double[] means;
    private readonly double[] stds;

    /// <summary>Creates a scaler from explicit statistics (stds finite and &gt; 0, means finite).</summary>
    /// <param name="treatments">The T treatment names.</param>
    /// <param name="means">T means.</param>
    /// <param name="stds">T standard deviations.</param>
    public TargetScaler(IReadOnlyList<string> treatments, IReadOnlyList<double> means, IReadOnlyList<double> stds)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(stds);
        if (means.Count != treatments.Count || stds.Count != treatments.Count)
        {
            throw new ArgumentException($"A scaler for {treatments.Count} treatments needs {treatments.Count} means and stds, got {means.Count} and {stds.Count}.");
        }
        for (int j = 0; j < treatments.Count; j++)
        {
            if (!double.IsFinite(means[j]) || !(stds[j] > 0 && double.IsFinite(stds[j])))
            {
                throw new ArgumentException($"Treatment '{treatments[j]}': mean {means[j]} must be finite and std {stds[j]} finite and positive.");
            }
        }
        Treatments = treatments.ToArray();
        this.means = means.ToArray();
        this.stds = stds.ToArray();
    }

    /// <summary>The T treatment names.</summary>
    public IReadOnlyList<string> Treatments { get; }

    /// <summary>Per-treatment means.</summary>
    public IReadOnlyList<double> Means => means;

    /// <summary>Per-treatment standard deviations.</summary>
    public IReadOnlyList<double> Stds => stds;

    /// <summary>Number of treatments T.</summary>
    public int TreatmentCount => Treatments.Count;

    /// <summary>True when every mean is 0 and every std 1 (no standardisation).</summary>
    public bool IsIdentity => means.All(m => m == 0) && stds.All(s => s == 1);

    /// <summary>The scaler that changes nothing (mean 0, std 1 for every treatment).</summary>
    public static TargetScaler Identity(IReadOnlyList<string> treatments)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        return new TargetScaler(treatments, new double[treatments.Count], Enumerable.Repeat(1.0, treatments.Count).ToArray());
    }

    /// <summary>Fits means and stds per treatment on the observed cells of the rows <paramref name="trainIndices"/>.</summary>
    public static TargetScaler Fit(PromoterDataset dataset, IReadOnlyList<int> trainIndices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(trainIndices);
        int t = dataset.TreatmentCount;
        var sum = new double[t];
        var count = new long[t];
        var y = dataset.Targets.Data;
        var m = dataset.Mask.Data;
        foreach (int i in trainIndices)
        {
            if ((uint)i >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(trainIndices), $"Index {i} is outside 0..{dataset.Count - 1}.");
            }
            for (int j = 0; j < t; j++)
            {
                if (m[i * t + j] > 0)
                {
                    sum[j] += y[i * t + j];
                    count[j]++;
                }
            }
        }
        var mean = new double[t];
        for (int j = 0; j < t; j++)
        {
            mean[j] = count[j] == 0 ? 0 : sum[j] / count[j];
        }
        var squares = new double[t];
        foreach (int i in trainIndices)
        {
            for (int j = 0; j < t; j++)
            {
                if (m[i * t + j] > 0)
                {
                    double d = y[i * t + j] - mean[j];
                    squares[j] += d * d;
                }
            }
        }
        var std = new double[t];
        for (int j = 0; j < t; j++)
        {
            double s = count[j] < 2 ? 0 : Math.Sqrt(squares[j] / count[j]);
            std[j] = s > 1e-12 && double.IsFinite(s) ? s : 1;
        }
        return new TargetScaler(dataset.Treatments, mean, std);
    }

    /// <summary>Standardised copy of <paramref name="targets"/> <c>(N, T)</c>; cells where <paramref name="mask"/> is 0 stay 0.</summary>
    public Tensor Transform(Tensor targets, Tensor? mask = null)
    {
        Check(targets, nameof(targets));
        var data = targets.ToArray();
        var m = mask?.Data;
        if (m is not null && m.Length != data.Length)
        {
            throw new ArgumentException($"Mask shape {mask!.Shape} differs from the targets' {targets.Shape}.", nameof(mask));
        }
        int t = TreatmentCount;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = m is not null && m[i] == 0 ? 0f : (float)((data[i] - means[i % t]) / stds[i % t]);
        }
        return new Tensor(targets.Shape, data);
    }

    /// <summary>Maps standardised <paramref name="values"/> <c>(N, T)</c> back to the original units (a new tensor).</summary>
    public Tensor Inverse(Tensor values)
    {
        Check(values, nameof(values));
        var data = values.ToArray();
        InverseInPlace(data);
        return new Tensor(values.Shape, data);
    }

    /// <summary>Maps row-major standardised values <c>(N, T)</c> back to the original units, in place.</summary>
    public void InverseInPlace(Span<float> values)
    {
        int t = TreatmentCount;
        if (values.Length % t != 0)
        {
            throw new ArgumentException($"{values.Length} values are not a whole number of rows of {t}.", nameof(values));
        }
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] * stds[i % t] + means[i % t]);
        }
    }

    private void Check(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.Rank != 2 || tensor.Shape[1] != TreatmentCount)
        {
            throw new ArgumentException($"Expected (N, {TreatmentCount}), got {tensor.Shape}.", name);
        }
    }
}
