using Promptor.Genomics.Data;
using Promptor.Genomics.Training;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Training;

public class TargetScalerTests
{
    private static PromoterDataset Dataset(float[] targets, float[] mask, int treatments = 2)
    {
        int n = targets.Length / treatments;
        var sequences = new Tensor(new Shape(n, 4, 4));
        return new PromoterDataset(sequences, new Tensor(new Shape(n, treatments), targets), new Tensor(new Shape(n, treatments), mask),
            Enumerable.Range(0, n).Select(i => $"g{i}").ToArray(), Enumerable.Range(0, treatments).Select(j => $"t{j}").ToArray());
    }

    [Fact]
    public void FitsOnTrainRowsOnlyAndIgnoresMaskedCells()
    {
        // Rows 0-2 train, row 3 validation with extreme values, row 2 column 1 masked (holding garbage).
        var dataset = Dataset([1, 10, 2, 20, 3, 999, 1000, -1000], [1, 1, 1, 1, 1, 0, 1, 1]);
        var scaler = TargetScaler.Fit(dataset, [0, 1, 2]);
        Assert.Equal(2, scaler.Means[0], 12);                        // mean of 1, 2, 3
        Assert.Equal(Math.Sqrt(2.0 / 3), scaler.Stds[0], 12);        // population std
        Assert.Equal(15, scaler.Means[1], 12);                       // mean of 10, 20 (999 masked)
        Assert.Equal(5, scaler.Stds[1], 12);

        var z = scaler.Transform(dataset.Targets, dataset.Mask);
        Assert.Equal(0f, z[1, 0], 6);
        Assert.Equal(0f, z[2, 1]);                                   // masked stays 0
        Assert.Equal(-1f, z[0, 1], 6);
        var back = scaler.Inverse(z);
        Assert.Equal(1000f, back[3, 0], 2);
        Assert.Equal(-1000f, back[3, 1], 2);
    }

    [Fact]
    public void DegenerateTreatmentsGetUnitScale()
    {
        var dataset = Dataset([4, 0, 4, 0], [1, 0, 1, 0]);
        var scaler = TargetScaler.Fit(dataset, [0, 1]);
        Assert.Equal(4, scaler.Means[0]);
        Assert.Equal(1, scaler.Stds[0]);      // zero spread
        Assert.Equal(0, scaler.Means[1]);     // nothing observed
        Assert.Equal(1, scaler.Stds[1]);
        Assert.True(TargetScaler.Identity(["a"]).IsIdentity);
        Assert.False(scaler.IsIdentity);
    }

    [Fact]
    public void SnapshotRoundTrips()
    {
        var scaler = new TargetScaler(["a", "b"], [0.1, -2.5], [1.5, 0.3]);
        var again = ScalerSnapshot.Of(scaler).ToScaler();
        Assert.Equal(scaler.Means, again.Means);
        Assert.Equal(scaler.Stds, again.Stds);
        Assert.Equal(scaler.Treatments, again.Treatments);
        Assert.Throws<ArgumentException>(() => new TargetScaler(["a"], [0], [0]));
    }
}
