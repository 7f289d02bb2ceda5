using Promptor.Genomics.Data;
using Promptor.Genomics.Training;
using Promptor.Tensors;

namespace Promptor.Genomics.Models;

/// <summary>
/// The held-out-treatment evaluation of treatment descriptors: some treatments' targets are masked for
/// every gene before training (so neither the loss, the target scaler nor model selection sees them), and
/// the trained model is then scored on exactly those treatments. Only a model whose treatment tokens come
/// from descriptors (<see cref="CondPromoterOptions.TreatmentDescriptors"/>) can do better than chance there.
/// </summary>
public static class TreatmentDescriptorHoldOut
{
    /// <summary>The column indices of <paramref name="heldOut"/> in <paramref name="treatments"/>.</summary>
    /// <exception cref="ArgumentException">A name is not a treatment, a name repeats, or every treatment would be held out.</exception>
    public static int[] Indices(IReadOnlyList<string> treatments, IReadOnlyList<string> heldOut)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(heldOut);
        var indices = new List<int>();
        foreach (var name in heldOut)
        {
            int j = treatments.ToList().IndexOf(name);
            if (j < 0)
            {
                throw new ArgumentException($"Held-out treatment '{name}' is not one of the {treatments.Count} treatments ({string.Join(", ", treatments.Take(5))}{(treatments.Count > 5 ? ", …" : "")}).");
            }
            if (indices.Contains(j))
            {
                throw new ArgumentException($"Treatment '{name}' is held out twice.");
            }
            indices.Add(j);
        }
        if (indices.Count == 0 || indices.Count >= treatments.Count)
        {
            throw new ArgumentException($"Hold out at least one and fewer than all {treatments.Count} treatments (got {indices.Count}).");
        }
        return indices.ToArray();
    }

    /// <summary>
    /// A copy of <paramref name="dataset"/> whose targets of <paramref name="heldOut"/> are masked (and zeroed)
    /// for every gene; sequences are shared, not copied.
    /// </summary>
    public static PromoterDataset Mask(PromoterDataset dataset, IReadOnlyList<string> heldOut)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var columns = Indices(dataset.Treatments, heldOut);
        int n = dataset.Count, t = dataset.TreatmentCount;
        var y = dataset.Targets.ToArray();
        var m = dataset.Mask.ToArray();
        for (int i = 0; i < n; i++)
        {
            foreach (int j in columns)
            {
                y[i * t + j] = 0f;
                m[i * t + j] = 0f;
            }
        }
        return new PromoterDataset(dataset.Sequences, new Tensor(dataset.Targets.Shape, y), new Tensor(dataset.Mask.Shape, m), dataset.GeneIds, dataset.Treatments);
    }

    /// <summary>The rows of <paramref name="metrics"/> for <paramref name="heldOut"/>, in that order (their means are the held-out score).</summary>
    public static TreatmentMetrics Select(TreatmentMetrics metrics, IReadOnlyList<string> heldOut)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(heldOut);
        return new TreatmentMetrics(heldOut.Select(name => metrics[name]).ToArray());
    }
}
