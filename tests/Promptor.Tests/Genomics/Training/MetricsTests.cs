using Promptor.Genomics.Training;

namespace Promptor.Tests.Genomics.Training;

public class MetricsTests
{
    // x = 1..5, y = [2, 4, 5, 4, 5]: dx·dy = 6, Σdx² = 10, Σdy² = 6 → r = 6 / √60.
    [Fact]
    public void PearsonMatchesHandComputedValue()
    {
        double r = Metrics.Pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
        Assert.Equal(6 / Math.Sqrt(60), r, 12);
        Assert.Equal(-1, Metrics.Pearson([1, 2, 3], [3, 2, 1]), 12);
    }

    [Fact]
    public void RanksAverageTies()
    {
        Assert.Equal([1, 2.5, 2.5, 4], Metrics.Ranks([10, 20, 20, 30]));
        Assert.Equal([5, 1, 5, 2.5, 2.5, 5], Metrics.Ranks([7, 1, 7, 3, 3, 7]));
    }

    // Ranks of y = [1, 2.5, 4.5, 2.5, 4.5]; with x ranks 1..5: Σdx·dy = 7, Σdx² = 10, Σdy² = 9 → ρ = 7 / √90.
    [Fact]
    public void SpearmanUsesAverageRanksForTies()
    {
        double rho = Metrics.Spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
        Assert.Equal(7 / Math.Sqrt(90), rho, 12);
        Assert.Equal(1, Metrics.Spearman([1, 2, 3, 4], [1, 10, 100, 1000]), 12);
    }

    [Fact]
    public void CorrelationsAreNaNWhenUndefined()
    {
        Assert.True(double.IsNaN(Metrics.Pearson([1, 2], [1, 2])));
        Assert.True(double.IsNaN(Metrics.Pearson([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(Metrics.Spearman([1, 2], [2, 1])));
        Assert.True(double.IsNaN(Metrics.RSquared([2, 2, 2], [1, 2, 3])));
    }

    // obs [1, 2, 3, 4], pred [1, 2, 3, 5]: SSres = 1, SStot = 5 → R² = 0.8.
    [Fact]
    public void RSquaredMatchesHandComputedValue()
    {
        Assert.Equal(0.8, Metrics.RSquared([1, 2, 3, 4], [1, 2, 3, 5]), 12);
        Assert.True(Metrics.RSquared([1, 2, 3], [3, 2, 1]) < 0);
    }

    // Positives {0.35, 0.8, 0.4}, negatives {0.1, 0.4}: wins 1 + 2 + 1 and one tie (0.4 vs 0.4) = 4.5 of 6 pairs.
    [Fact]
    public void AurocCountsTiesAsHalf()
    {
        double auc = Metrics.Auroc([0.1, 0.4, 0.35, 0.8, 0.4], [false, false, true, true, true]);
        Assert.Equal(0.75, auc, 12);
        Assert.Equal(1, Metrics.Auroc([0.1, 0.2, 0.9], [false, false, true]), 12);
        Assert.Equal(0.5, Metrics.Auroc([0.3, 0.3, 0.3, 0.3], [false, true, false, true]), 12);
        Assert.True(double.IsNaN(Metrics.Auroc([0.1, 0.2], [true, true])));
    }

    // Ranked 0.9 (+), 0.8 (−), 0.7 (+), 0.6 (−): AP = 0.5·1 + 0.5·(2/3) = 5/6.
    // With ties [0.9 +, 0.5 +, 0.5 −, 0.1 −] the tied pair enters together: 0.5·1 + 0.5·(2/3) = 5/6 too,
    // whereas breaking the tie positive-first would give 1.
    [Fact]
    public void AveragePrecisionMatchesHandComputedValues()
    {
        Assert.Equal(5.0 / 6, Metrics.AveragePrecision([0.9, 0.8, 0.7, 0.6], [true, false, true, false]), 12);
        Assert.Equal(5.0 / 6, Metrics.AveragePrecision([0.9, 0.5, 0.5, 0.1], [true, true, false, false]), 12);
        Assert.Equal(1, Metrics.AveragePrecision([0.9, 0.8, 0.1], [true, true, false]), 12);
        Assert.True(double.IsNaN(Metrics.AveragePrecision([0.1, 0.2], [false, false])));
    }

    [Fact]
    public void PerTreatmentSkipsMaskedCellsAndReportsTreatmentsWithTooFewGenes()
    {
        // Rows: 5 genes × treatments (A, B). A observed everywhere except gene 4; B observed for 2 genes only.
        float[] predictions = [1, 0, 2, 9, 3, 0, 4, 9, 1e6f, -1e6f];
        float[] targets = [2, 0, 4, 1, 5, 0, 4, 2, -7, 3];
        float[] mask = [1, 0, 1, 1, 1, 0, 1, 1, 0, 0];
        var table = Metrics.PerTreatment(predictions, targets, mask, ["A", "B"]);

        Assert.Equal(4, table["A"].Count);
        Assert.Equal(Metrics.Pearson([1, 2, 3, 4], [2, 4, 5, 4]), table["A"].Pearson, 12);
        Assert.Equal(Metrics.Spearman([1, 2, 3, 4], [2, 4, 5, 4]), table["A"].Spearman, 12);
        Assert.Equal(2, table["B"].Count);
        Assert.True(double.IsNaN(table["B"].Pearson));
        Assert.Equal(["B"], table.Undefined);
        Assert.Equal(table["A"].Pearson, table.MeanPearson, 12);

        // Masked cells never matter, whatever they hold.
        predictions[8] = -3;
        targets[8] = 12345;
        var again = Metrics.PerTreatment(predictions, targets, mask, ["A", "B"]);
        Assert.Equal(table["A"].Pearson, again["A"].Pearson);
    }

    [Fact]
    public void MeanOverTreatmentsIgnoresNaN()
    {
        var table = new TreatmentMetrics([
            new TreatmentMetric("a", 10, 0.2, 0.1, 0, double.NaN, double.NaN),
            new TreatmentMetric("b", 2, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN),
            new TreatmentMetric("c", 10, 0.6, 0.3, 0, double.NaN, double.NaN),
        ]);
        Assert.Equal(0.4, table.MeanPearson, 12);
        Assert.Equal(0.2, table.MeanSpearman, 12);
        Assert.True(double.IsNaN(table.MeanAuroc));
        Assert.Contains("mean\t22\t0.4\t0.2", table.ToTsv(), StringComparison.Ordinal);
        Assert.Contains("b\t2\tNA", table.ToTsv(), StringComparison.Ordinal);
    }

    [Fact]
    public void ClassificationMetricsAverageDownAndUpOneVersusRest()
    {
        // 4 genes, 1 treatment; targets: down, up, unchanged, up. Probabilities (down, unchanged, up).
        float[] targets = [-1, 1, 0, 2];
        float[] mask = [1, 1, 1, 1];
        float[] probabilities = [0.8f, 0.1f, 0.1f, /**/ 0.1f, 0.2f, 0.7f, /**/ 0.2f, 0.6f, 0.2f, /**/ 0.3f, 0.2f, 0.5f];
        float[] scores = [-0.7f, 0.6f, 0f, 0.2f];
        var table = Metrics.PerTreatment(scores, targets, mask, ["t"], new ClassificationScores(probabilities, -0.58f, 0.58f));
        // Down vs rest: P(down) = [0.8, 0.1, 0.2, 0.3], positive = gene 0 → AUROC 1, AP 1.
        // Up vs rest: P(up) = [0.1, 0.7, 0.2, 0.5], positives = genes 1, 3 → AUROC 1, AP 1.
        Assert.Equal(1, table["t"].Auroc, 12);
        Assert.Equal(1, table["t"].Aupr, 12);
        probabilities[2] = 0.9f; // gene 0 (down) now scores highest for up: up AUROC = 2/4 pairs → mean (1 + 0.5) / 2
        table = Metrics.PerTreatment(scores, targets, mask, ["t"], new ClassificationScores(probabilities, -0.58f, 0.58f));
        Assert.Equal(0.75, table["t"].Auroc, 12);
    }
}
