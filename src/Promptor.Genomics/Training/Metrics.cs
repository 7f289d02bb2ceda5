namespace Promptor.Genomics.Training;

/// <summary>
/// Evaluation metrics, computed in double: Pearson and Spearman correlation, R², AUROC and average
/// precision. Each returns <see cref="double.NaN"/> when it is undefined (fewer than
/// <see cref="MinimumCount"/> values, a constant input, or a single class), never throws on such data.
/// </summary>
public static class Metrics
{
    /// <summary>Fewest paired values for which a correlation or R² is reported (3).</summary>
    public const int MinimumCount = 3;

    /// <summary>
    /// Pearson's r of <paramref name="x"/> and <paramref name="y"/> (same length). NaN for fewer than
    /// <see cref="MinimumCount"/> values or when either input is constant.
    /// </summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        RequireSameLength(x.Length, y.Length);
        int n = x.Length;
        if (n < MinimumCount)
        {
            return double.NaN;
        }
        double mx = Mean(x), my = Mean(y);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0)
        {
            return double.NaN;
        }
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>
    /// Spearman's ρ: Pearson's r of the ranks, ties given their average rank. NaN as for <see cref="Pearson"/>.
    /// </summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        RequireSameLength(x.Length, y.Length);
        if (x.Length < MinimumCount)
        {
            return double.NaN;
        }
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>
    /// 1-based ranks of <paramref name="values"/>, tied values sharing the average of their ranks
    /// (e.g. <c>[10, 20, 20, 30]</c> → <c>[1, 2.5, 2.5, 4]</c>). NaN values are not allowed.
    /// </summary>
    public static double[] Ranks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var order = new int[n];
        var keys = values.ToArray();
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(keys[i]))
            {
                throw new ArgumentException($"Value {i} is NaN; ranks need comparable values.", nameof(values));
            }
            order[i] = i;
        }
        Array.Sort((double[])keys.Clone(), order);
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[order[end]] == keys[order[start]])
            {
                end++;
            }
            double rank = (start + 1 + end) / 2.0; // average of the 1-based ranks start+1 … end
            for (int j = start; j < end; j++)
            {
                ranks[order[j]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    /// <summary>
    /// Coefficient of determination <c>1 − Σ(y − ŷ)² / Σ(y − ȳ)²</c> of <paramref name="predicted"/>
    /// against <paramref name="observed"/> (can be negative). NaN for fewer than
    /// <see cref="MinimumCount"/> values or a constant <paramref name="observed"/>.
    /// </summary>
    public static double RSquared(ReadOnlySpan<double> observed, ReadOnlySpan<double> predicted)
    {
        RequireSameLength(observed.Length, predicted.Length);
        if (observed.Length < MinimumCount)
        {
            return double.NaN;
        }
        double mean = Mean(observed), residual = 0, total = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            double r = observed[i] - predicted[i], d = observed[i] - mean;
            residual += r * r;
            total += d * d;
        }
        return total == 0 ? double.NaN : 1 - residual / total;
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="scores"/> for the <paramref name="labels"/> (true =
    /// positive), by the Mann–Whitney U statistic with average ranks: the probability that a random
    /// positive scores higher than a random negative, ties counting one half. NaN without both classes.
    /// </summary>
    public static double Auroc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        RequireSameLength(scores.Length, labels.Length);
        long positives = 0;
        foreach (bool l in labels)
        {
            positives += l ? 1 : 0;
        }
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }
        var ranks = Ranks(scores);
        double rankSum = 0;
        for (int i = 0; i < ranks.Length; i++)
        {
            if (labels[i])
            {
                rankSum += ranks[i];
            }
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// Area under the precision–recall curve as average precision (scikit-learn's
    /// <c>average_precision_score</c>): <c>Σ_k (R_k − R_{k−1})·P_k</c> over the distinct score
    /// thresholds, highest first, so tied scores enter together. NaN without positives.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        RequireSameLength(scores.Length, labels.Length);
        int n = scores.Length;
        long positives = 0;
        foreach (bool l in labels)
        {
            positives += l ? 1 : 0;
        }
        if (positives == 0)
        {
            return double.NaN;
        }
        var order = new int[n];
        var keys = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score {i} is NaN.", nameof(scores));
            }
            order[i] = i;
            keys[i] = -scores[i]; // descending
        }
        Array.Sort(keys, order);
        double ap = 0, previousRecall = 0;
        long truePositives = 0, seen = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end < n && keys[end] == keys[start])
            {
                truePositives += labels[order[end]] ? 1 : 0;
                end++;
            }
            seen += end - start;
            double recall = (double)truePositives / positives;
            double precision = (double)truePositives / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            start = end;
        }
        return ap;
    }

    /// <summary>The mean of the non-NaN <paramref name="values"/>; NaN when all are NaN (or there are none).</summary>
    public static double NanMean(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        int count = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                count++;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>
    /// Per-treatment regression metrics of <paramref name="predictions"/> against <paramref name="targets"/>,
    /// both row-major <c>(N, T)</c>, over the genes observed under each treatment (<paramref name="mask"/>
    /// &gt; 0; masked cells are skipped whatever they hold). A treatment with fewer than
    /// <see cref="MinimumCount"/> observed genes gets NaN metrics and is listed in
    /// <see cref="TreatmentMetrics.Undefined"/>.
    /// </summary>
    /// <param name="predictions">Predictions <c>(N, T)</c>, in the targets' units.</param>
    /// <param name="targets">Targets <c>(N, T)</c>.</param>
    /// <param name="mask">1 where observed, 0 where missing, <c>(N, T)</c>.</param>
    /// <param name="treatments">The T treatment names.</param>
    public static TreatmentMetrics PerTreatment(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, ReadOnlySpan<float> mask, IReadOnlyList<string> treatments)
        => PerTreatment(predictions, targets, mask, treatments, null);

    /// <summary>
    /// As <see cref="PerTreatment(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, IReadOnlyList{string})"/>,
    /// plus classification metrics: with <paramref name="classification"/>, each treatment's AUROC and
    /// average precision are the means over the "down" and "up" classes, one against the rest, scored by
    /// the predicted probability of that class; the class of a target follows the thresholds.
    /// </summary>
    /// <param name="predictions">Scores <c>(N, T)</c> correlated with the targets (for classification, P(up) − P(down)).</param>
    /// <param name="targets">Continuous targets <c>(N, T)</c>.</param>
    /// <param name="mask">1 where observed, <c>(N, T)</c>.</param>
    /// <param name="treatments">The T treatment names.</param>
    /// <param name="classification">Class probabilities <c>(N, T, 3)</c> (down, unchanged, up) and the thresholds, or null for regression.</param>
    public static TreatmentMetrics PerTreatment(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, ReadOnlySpan<float> mask,
        IReadOnlyList<string> treatments, ClassificationScores? classification)
    {
        ArgumentNullException.ThrowIfNull(treatments);
        int t = treatments.Count;
        if (t == 0 || targets.Length % t != 0 || predictions.Length != targets.Length || mask.Length != targets.Length)
        {
            throw new ArgumentException($"Predictions ({predictions.Length}), targets ({targets.Length}) and mask ({mask.Length}) must all be N × {t}.");
        }
        int n = targets.Length / t;
        if (classification is not null && classification.Probabilities.Length != n * t * ClassLabels.Count)
        {
            throw new ArgumentException($"Class probabilities must be N × T × 3 = {n * t * ClassLabels.Count}, got {classification.Probabilities.Length}.", nameof(classification));
        }
        var rows = new TreatmentMetric[t];
        var x = new List<double>(n);
        var y = new List<double>(n);
        var rowsOf = new List<int>(n);
        for (int j = 0; j < t; j++)
        {
            x.Clear();
            y.Clear();
            rowsOf.Clear();
            for (int i = 0; i < n; i++)
            {
                int cell = i * t + j;
                if (mask[cell] > 0)
                {
                    x.Add(predictions[cell]);
                    y.Add(targets[cell]);
                    rowsOf.Add(cell);
                }
            }
            var px = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(x);
            var py = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(y);
            double auroc = double.NaN, aupr = double.NaN;
            if (classification is not null && rowsOf.Count >= MinimumCount)
            {
                (auroc, aupr) = ClassificationMetrics(classification, rowsOf, py);
            }
            bool enough = rowsOf.Count >= MinimumCount;
            rows[j] = new TreatmentMetric(treatments[j], rowsOf.Count,
                enough ? Pearson(px, py) : double.NaN,
                enough ? Spearman(px, py) : double.NaN,
                enough && classification is null ? RSquared(py, px) : double.NaN,
                auroc, aupr);
        }
        return new TreatmentMetrics(rows);
    }

    private static (double Auroc, double Aupr) ClassificationMetrics(ClassificationScores scores, List<int> cells, ReadOnlySpan<double> targets)
    {
        double aurocSum = 0, auprSum = 0;
        int aurocCount = 0, auprCount = 0;
        var score = new double[cells.Count];
        var label = new bool[cells.Count];
        foreach (int cls in new[] { ClassLabels.Down, ClassLabels.Up })
        {
            for (int i = 0; i < cells.Count; i++)
            {
                score[i] = scores.Probabilities[cells[i] * ClassLabels.Count + cls];
                label[i] = ClassLabels.Of((float)targets[i], scores.DownThreshold, scores.UpThreshold) == cls;
            }
            double auroc = Auroc(score, label), aupr = AveragePrecision(score, label);
            if (!double.IsNaN(auroc))
            {
                aurocSum += auroc;
                aurocCount++;
            }
            if (!double.IsNaN(aupr))
            {
                auprSum += aupr;
                auprCount++;
            }
        }
        return (aurocCount == 0 ? double.NaN : aurocSum / aurocCount, auprCount == 0 ? double.NaN : auprSum / auprCount);
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }

    private static void RequireSameLength(int a, int b)
    {
        if (a != b)
        {
            throw new ArgumentException($"The inputs must have the same length, got {a} and {b}.");
        }
    }
}
