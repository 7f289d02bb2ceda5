using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Promptor.Genomics.Dna;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Tensor = Promptor.Tensors.Tensor;

namespace Promptor.Genomics.Baselines;

// N: genes, F: features (canonical k-mers × regions), T: treatments.

/// <summary>
/// The k-mer ridge regression baseline, the rung below every network of the conditioning ladder:
/// canonical k-mer counts of each promoter (optionally counted separately in its distal and proximal
/// parts) → standardised features (mean and standard deviation fitted on the training genes) →
/// one multi-output ridge regression on the targets centred per treatment. The ridge is solved in
/// closed form, <c>β = (XᵀX + λI)⁻¹ XᵀY</c>, by one Cholesky factorisation in double per λ shared by all
/// treatments; λ is chosen on a log grid by the validation Pearson r averaged over treatments.
/// Optionally (<see cref="KmerRidgeOptions.Ranks"/>) the coefficients are projected onto the top
/// principal axes of the training targets — a reduced-rank ridge — with the rank chosen with λ.
/// </summary>
/// <remarks>
/// <para>Missing targets: a masked training target is filled with its treatment's training mean (0
/// after centring), so it adds nothing to <c>XᵀY</c> and pulls its gene's prediction gently towards the
/// mean. This keeps one factorisation for all treatments; with few missing values (1.1 % of the
/// yeast task's targets) it is nearly the per-treatment solve on observed genes, which would need one
/// factorisation per treatment and λ. Masked validation and test targets are simply left out of the
/// Pearson r (<see cref="Metrics.Pearson"/>).</para>
/// <para>Speed: <c>XᵀX</c> of the raw integer counts runs on the engine's float GEMM in row chunks small
/// enough that every partial sum is an integer below 2^24, hence exact, and is accumulated and
/// standardised in double.</para>
/// </remarks>
public sealed class KmerRidge
{
    private const double ExactFloatInteger = 1 << 24;

    private readonly CanonicalKmerCounter counter;
    private readonly double[] weights;    // (F, T) on the raw-count scale
    private readonly double[] intercepts; // (T)

    private KmerRidge(KmerRidgeOptions options, CanonicalKmerCounter counter, int featureCount, int treatmentCount,
        double lambda, int? rank, double[] weights, double[] intercepts, IReadOnlyList<RidgeLambdaScore> curve)
    {
        Rank = rank;
        Options = options;
        this.counter = counter;
        FeatureCount = featureCount;
        TreatmentCount = treatmentCount;
        Lambda = lambda;
        this.weights = weights;
        this.intercepts = intercepts;
        ValidationCurve = curve;
    }

    /// <summary>The options the model was fitted with.</summary>
    public KmerRidgeOptions Options { get; }

    /// <summary>Number of features F (canonical k-mers × regions).</summary>
    public int FeatureCount { get; }

    /// <summary>Number of treatments T (target columns).</summary>
    public int TreatmentCount { get; }

    /// <summary>The chosen ridge penalty.</summary>
    public double Lambda { get; }

    /// <summary>The chosen output rank of a reduced-rank fit (<see cref="KmerRidgeOptions.Ranks"/>); null = full rank.</summary>
    public int? Rank { get; }

    /// <summary>The validation score of every λ (and rank) tried, in grid order: for each λ the full-rank fit, then each candidate rank.</summary>
    public IReadOnlyList<RidgeLambdaScore> ValidationCurve { get; }

    /// <summary>The validation score of the chosen λ and rank.</summary>
    public RidgeLambdaScore Selected => ValidationCurve.First(s => s.Lambda == Lambda && s.Rank == Rank);

    /// <summary>
    /// Coefficients on the raw-count scale, shape <c>(F, T)</c>: a prediction is
    /// <c>counts · Weights + Intercepts</c>. (Multiply by a feature's training standard deviation to compare features.)
    /// </summary>
    public Tensor Weights => new(new Shape(FeatureCount, TreatmentCount), weights.Select(w => (float)w).ToArray());

    /// <summary>The intercept of each treatment, length T.</summary>
    public IReadOnlyList<double> Intercepts => Array.AsReadOnly(intercepts);

    /// <summary>The name of feature <paramref name="feature"/>: the canonical k-mer, prefixed by <c>distal:</c> or <c>proximal:</c> when regions are counted separately.</summary>
    public string FeatureName(int feature) => FeatureName(counter, Options, feature);

    /// <summary>
    /// Fits the ridge regression. Rows of <paramref name="targets"/> correspond to <paramref name="sequences"/>;
    /// only the rows listed in <paramref name="train"/> and <paramref name="validation"/> are used.
    /// </summary>
    /// <param name="sequences">N DNA sequences (any length; letters other than A, C, G, T break k-mers).</param>
    /// <param name="targets">Targets <c>(N, T)</c>; masked entries are ignored.</param>
    /// <param name="mask">Mask <c>(N, T)</c>, 1 = observed; null = all observed.</param>
    /// <param name="train">Training rows (non-empty).</param>
    /// <param name="validation">Validation rows for choosing λ; may be empty only when <see cref="KmerRidgeOptions.Lambdas"/> holds one value.</param>
    /// <param name="options">Default: canonical 6-mers of the whole sequence, λ grid 10^1 … 10^6.</param>
    /// <exception cref="ArgumentException">Inconsistent shapes, rows out of range, a treatment without observed training targets, or non-finite observed targets.</exception>
    public static KmerRidge Fit(IReadOnlyList<string> sequences, Tensor targets, Tensor? mask, IReadOnlyList<int> train,
        IReadOnlyList<int> validation, KmerRidgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new KmerRidgeOptions();
        int f = options.Validate();
        int n = sequences.Count;
        if (targets.Rank != 2 || targets.Shape[0] != n)
        {
            throw new ArgumentException($"Targets must have shape ({n}, T), got {targets.Shape}.", nameof(targets));
        }
        int t = targets.Shape[1];
        if (mask is not null && mask.Shape != targets.Shape)
        {
            throw new ArgumentException($"Mask shape {mask.Shape} differs from the targets' {targets.Shape}.", nameof(mask));
        }
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }
        if (validation.Count == 0 && options.Lambdas.Count > 1)
        {
            throw new ArgumentException("Choosing λ from several values needs a validation set.", nameof(validation));
        }
        CheckRows(train, n, nameof(train));
        CheckRows(validation, n, nameof(validation));

        var counter = new CanonicalKmerCounter(options.K);
        int ntr = train.Count, nval = validation.Count;
        var xTrain = CountFeatures(counter, options, Gather(sequences, train));        // (Ntr, F)
        var xVal = CountFeatures(counter, options, Gather(sequences, validation));     // (Nval, F)

        // Feature standardisation, fitted on the training genes.
        var mean = new double[f];
        var std = new double[f];
        for (int r = 0; r < ntr; r++)
        {
            var row = xTrain.AsSpan(r * f, f);
            for (int j = 0; j < f; j++)
            {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < f; j++)
        {
            mean[j] /= ntr;
        }
        for (int r = 0; r < ntr; r++)
        {
            var row = xTrain.AsSpan(r * f, f);
            for (int j = 0; j < f; j++)
            {
                double d = row[j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < f; j++)
        {
            std[j] = Math.Sqrt(std[j] / ntr);
            if (!(std[j] > 1e-12))
            {
                std[j] = 1; // constant on the training genes: the standardised column is all zeros
            }
        }

        // Targets centred per treatment on the observed training genes; masked ones become the mean (0).
        var yMean = new double[t];
        var yCentred = new double[ntr * t]; // (Ntr, T)
        var seen = new int[t];
        for (int r = 0; r < ntr; r++)
        {
            for (int c = 0; c < t; c++)
            {
                if (IsObserved(targets, mask, train[r], c, t, out float y))
                {
                    yMean[c] += y;
                    seen[c]++;
                }
            }
        }
        for (int c = 0; c < t; c++)
        {
            if (seen[c] == 0)
            {
                throw new ArgumentException($"Treatment {c} has no observed training target.", nameof(targets));
            }
            yMean[c] /= seen[c];
        }
        for (int r = 0; r < ntr; r++)
        {
            for (int c = 0; c < t; c++)
            {
                if (IsObserved(targets, mask, train[r], c, t, out float y))
                {
                    yCentred[r * t + c] = y - yMean[c];
                }
            }
        }

        var gram = StandardisedGram(xTrain, ntr, f, mean, std); // (F, F), lower triangle
        // Xsᵀ Yc = D⁻¹ (Xᵀ Yc − μ 1ᵀYc), and 1ᵀYc = 0 because Yc is centred.
        var rhs = new double[f * t]; // (F, T)
        // Fixed row chunks summed in chunk order: the same data give the same bits on any thread schedule.
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount, ntr / 256));
        var partial = new double[chunks][];
        Parallel.For(0, chunks, k =>
        {
            var local = partial[k] = new double[f * t];
            for (int r = (int)((long)ntr * k / chunks), end = (int)((long)ntr * (k + 1) / chunks); r < end; r++)
            {
                var row = xTrain.AsSpan(r * f, f);
                var yr = yCentred.AsSpan(r * t, t);
                for (int j = 0; j < f; j++)
                {
                    if (row[j] != 0) // rows are sparse: a 1 kb promoter holds at most ~1,000 of the k-mers
                    {
                        var dest = local.AsSpan(j * t, t);
                        TensorPrimitives.MultiplyAdd<double>(yr, row[j], dest, dest);
                    }
                }
            }
        });
        foreach (var local in partial)
        {
            TensorPrimitives.Add<double>(rhs, local, rhs);
        }
        for (int j = 0; j < f; j++)
        {
            TensorPrimitives.Divide<double>(rhs.AsSpan(j * t, t), std[j], rhs.AsSpan(j * t, t));
        }

        var valTargets = new float[nval * t];
        var valMask = new float[nval * t];
        for (int r = 0; r < nval; r++)
        {
            for (int c = 0; c < t; c++)
            {
                if (IsObserved(targets, mask, validation[r], c, t, out float y))
                {
                    valTargets[r * t + c] = y;
                    valMask[r * t + c] = 1f;
                }
            }
        }

        var work = new double[f * f];
        var beta = new double[f * t];
        var projectors = RankProjectors(options.Ranks, yCentred, ntr, t);
        var curve = new List<RidgeLambdaScore>(options.Lambdas.Count * (1 + projectors.Count));
        double[]? bestWeights = null, bestIntercepts = null;
        double bestLambda = double.NaN, bestScore = double.NegativeInfinity;
        int? bestRank = null;
        foreach (double lambda in options.Lambdas)
        {
            gram.CopyTo(work, 0);
            for (int j = 0; j < f; j++)
            {
                work[j * f + j] += lambda;
            }
            if (!Cholesky.Factor(work, f))
            {
                throw new InvalidOperationException($"XᵀX + λI is not positive definite for λ = {lambda}; use a larger λ.");
            }
            rhs.CopyTo(beta, 0);
            Cholesky.Solve(work, f, beta, t);
            foreach (var (rank, projector) in projectors.Prepend((null, null)))
            {
                var (w, b) = ToRawScale(projector is null ? beta : Project(beta, projector, f, t), mean, std, yMean, f, t);
                double[] perTreatment;
                double score;
                if (nval > 0)
                {
                    var pred = PredictCounts(xVal, nval, f, w, b, t);
                    perTreatment = PearsonPerColumn(pred, valTargets, valMask, nval, t);
                    score = Metrics.NanMean(perTreatment);
                }
                else
                {
                    perTreatment = Enumerable.Repeat(double.NaN, t).ToArray();
                    score = double.NaN;
                }
                curve.Add(new RidgeLambdaScore(lambda, score, perTreatment, rank));
                // Ties keep the first (smaller λ in an ascending grid, full rank before reduced);
                // a single candidate is taken whatever its score.
                if (bestWeights is null || score > bestScore)
                {
                    bestScore = double.IsNaN(score) ? double.NegativeInfinity : score;
                    bestLambda = lambda;
                    bestRank = rank;
                    bestWeights = w;
                    bestIntercepts = b;
                }
            }
        }
        return new KmerRidge(options, counter, f, t, bestLambda, bestRank, bestWeights!, bestIntercepts!, curve);
    }

    /// <summary>
    /// For each distinct candidate rank r below T, the projector <c>V_r V_rᵀ</c> <c>(T, T)</c> onto the top r
    /// principal axes of the centred training targets <paramref name="yCentred"/> <c>(Ntr, T)</c>.
    /// </summary>
    private static List<(int? Rank, double[]? Projector)> RankProjectors(IReadOnlyList<int> ranks, double[] yCentred, int rows, int t)
    {
        var result = new List<(int?, double[]?)>();
        var distinct = ranks.Where(r => r < t).Distinct().Order().ToArray();
        if (distinct.Length == 0)
        {
            return result;
        }
        var covariance = new double[t * t]; // YcᵀYc
        for (int r = 0; r < rows; r++)
        {
            var y = yCentred.AsSpan(r * t, t);
            for (int a = 0; a < t; a++)
            {
                TensorPrimitives.MultiplyAdd<double>(y, y[a], covariance.AsSpan(a * t, t), covariance.AsSpan(a * t, t));
            }
        }
        var (_, vectors) = SymmetricEigen.Decompose(covariance, t);
        foreach (int rank in distinct)
        {
            var projector = new double[t * t];
            for (int a = 0; a < t; a++)
            {
                for (int c = 0; c < t; c++)
                {
                    double sum = 0;
                    for (int k = 0; k < rank; k++)
                    {
                        sum += vectors[a * t + k] * vectors[c * t + k];
                    }
                    projector[a * t + c] = sum;
                }
            }
            result.Add((rank, projector));
        }
        return result;
    }

    /// <summary><c>β P</c>: each feature's coefficients over the treatments projected by the symmetric <c>(T, T)</c> <paramref name="projector"/>.</summary>
    private static double[] Project(double[] beta, double[] projector, int f, int t)
    {
        var result = new double[f * t];
        for (int j = 0; j < f; j++)
        {
            var row = beta.AsSpan(j * t, t);
            var dest = result.AsSpan(j * t, t);
            for (int a = 0; a < t; a++)
            {
                TensorPrimitives.MultiplyAdd<double>(projector.AsSpan(a * t, t), row[a], dest, dest);
            }
        }
        return result;
    }

    /// <summary>Predicts every treatment for each sequence; shape <c>(N, T)</c>.</summary>
    public Tensor Predict(IReadOnlyList<string> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var x = CountFeatures(counter, Options, sequences);
        var pred = PredictCounts(x, sequences.Count, FeatureCount, weights, intercepts, TreatmentCount);
        return new Tensor(new Shape(sequences.Count, TreatmentCount), pred);
    }

    /// <summary>The raw feature counts of each sequence as this model counts them; shape <c>(N, F)</c>.</summary>
    public Tensor Features(IReadOnlyList<string> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return new Tensor(new Shape(sequences.Count, FeatureCount), CountFeatures(counter, Options, sequences));
    }

    /// <summary>
    /// Pearson r (<see cref="Metrics.Pearson"/>) between <paramref name="predictions"/> and
    /// <paramref name="targets"/> per column (treatment) over the <paramref name="rows"/> observed in
    /// <paramref name="mask"/>. Predictions have one row per listed row, targets and mask one row per dataset row.
    /// </summary>
    internal static double[] PearsonPerTreatment(Tensor predictions, Tensor targets, Tensor? mask, IReadOnlyList<int> rows)
    {
        int t = targets.Shape[1];
        var y = new float[rows.Count * t];
        var m = new float[rows.Count * t];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < t; c++)
            {
                if (IsObserved(targets, mask, rows[r], c, t, out float v))
                {
                    y[r * t + c] = v;
                    m[r * t + c] = 1f;
                }
            }
        }
        return PearsonPerColumn(predictions.Data, y, m, rows.Count, t);
    }

    private static double[] PearsonPerColumn(ReadOnlySpan<float> pred, ReadOnlySpan<float> y, ReadOnlySpan<float> m, int rows, int t)
    {
        var r = new double[t];
        var px = new List<double>(rows);
        var py = new List<double>(rows);
        for (int c = 0; c < t; c++)
        {
            px.Clear();
            py.Clear();
            for (int i = 0; i < rows; i++)
            {
                if (m[i * t + c] != 0)
                {
                    px.Add(pred[i * t + c]);
                    py.Add(y[i * t + c]);
                }
            }
            r[c] = Metrics.Pearson(CollectionsMarshal.AsSpan(px), CollectionsMarshal.AsSpan(py));
        }
        return r;
    }

    private static bool IsObserved(Tensor targets, Tensor? mask, int row, int column, int t, out float value)
    {
        int i = row * t + column;
        value = targets.Data[i];
        if (mask is not null && mask.Data[i] == 0)
        {
            return false;
        }
        if (!float.IsFinite(value))
        {
            throw new ArgumentException($"Observed target at row {row}, column {column} is not finite ({value}).", nameof(targets));
        }
        return true;
    }

    private static void CheckRows(IReadOnlyList<int> rows, int n, string name)
    {
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(name, $"Row {r} is outside 0..{n - 1}.");
            }
        }
    }

    private static string[] Gather(IReadOnlyList<string> sequences, IReadOnlyList<int> rows)
    {
        var result = new string[rows.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = sequences[rows[i]] ?? throw new ArgumentException($"Sequence {rows[i]} is null.", nameof(sequences));
        }
        return result;
    }

    /// <summary>Raw counts <c>(N, F)</c>: one block of canonical k-mers per region (distal, then proximal).</summary>
    private static float[] CountFeatures(CanonicalKmerCounter counter, KmerRidgeOptions options, IReadOnlyList<string> sequences)
    {
        int blocks = options.RegionCount, fc = counter.FeatureCount, f = fc * blocks;
        var x = new float[sequences.Count * f];
        Parallel.For(0, sequences.Count, i =>
        {
            var s = sequences[i].AsSpan();
            var row = x.AsSpan(i * f, f);
            if (options.ProximalLength is int proximal)
            {
                int cut = Math.Max(0, s.Length - proximal);
                counter.Count(s[..cut], row[..fc]);
                counter.Count(s[cut..], row[fc..]);
            }
            else
            {
                counter.Count(s, row);
            }
        });
        return x;
    }

    private static string FeatureName(CanonicalKmerCounter counter, KmerRidgeOptions options, int feature)
    {
        int fc = counter.FeatureCount;
        ArgumentOutOfRangeException.ThrowIfNegative(feature);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(feature, fc * options.RegionCount);
        string kmer = counter.FeatureName(feature % fc);
        return options.RegionCount == 1 ? kmer : (feature < fc ? "distal:" : "proximal:") + kmer;
    }

    /// <summary>
    /// Standardised Gram matrix <c>Xsᵀ Xs = D⁻¹ (XᵀX − N μμᵀ) D⁻¹</c> in double, <c>(F, F)</c>, from raw counts.
    /// Only the lower triangle (and the upper half of the diagonal tiles) is filled: that is all the
    /// Cholesky factorisation reads, and it skips almost half of the products.
    /// </summary>
    private static double[] StandardisedGram(float[] x, int rows, int f, double[] mean, double[] std)
    {
        const int tileSize = 512; // features per GEMM tile
        float max = rows * f == 0 ? 0 : TensorPrimitives.Max(x.AsSpan(0, rows * f));
        // Counts are non-negative integers: a chunk of c rows sums to at most c·max² per entry.
        int chunk = (int)Math.Clamp(Math.Floor(ExactFloatInteger / Math.Max(1.0, (double)max * max)), 1, rows);
        var gram = new double[f * f];
        var part = new float[tileSize * tileSize];
        for (int r0 = 0; r0 < rows; r0 += chunk)
        {
            int rc = Math.Min(chunk, rows - r0);
            var block = x.AsSpan(r0 * f, rc * f); // (rc, F)
            for (int i0 = 0; i0 < f; i0 += tileSize)
            {
                int mi = Math.Min(tileSize, f - i0);
                for (int j0 = 0; j0 <= i0; j0 += tileSize)
                {
                    int nj = Math.Min(tileSize, f - j0);
                    // part = X[:, i0..]ᵀ · X[:, j0..], (mi, nj)
                    Gemm.Multiply(transA: true, transB: false, mi, nj, rc, 1f, block[i0..], f, block[j0..], f, 0f, part, nj);
                    for (int i = 0; i < mi; i++)
                    {
                        var g = gram.AsSpan((i0 + i) * f + j0, nj);
                        var p = part.AsSpan(i * nj, nj);
                        for (int j = 0; j < nj; j++)
                        {
                            g[j] += p[j];
                        }
                    }
                }
            }
        }
        Parallel.For(0, f, i =>
        {
            int cols = Math.Min(f, (i / tileSize + 1) * tileSize);
            var g = gram.AsSpan(i * f, cols);
            double ni = rows * mean[i], si = std[i];
            for (int j = 0; j < cols; j++)
            {
                g[j] = (g[j] - ni * mean[j]) / (si * std[j]);
            }
        });
        return gram;
    }

    /// <summary>Folds the standardisation into the coefficients: <c>w = β / σ</c>, <c>b = ȳ − μᵀw</c>.</summary>
    private static (double[] Weights, double[] Intercepts) ToRawScale(double[] beta, double[] mean, double[] std, double[] yMean, int f, int t)
    {
        var w = new double[f * t];
        var b = (double[])yMean.Clone();
        for (int j = 0; j < f; j++)
        {
            var wj = w.AsSpan(j * t, t);
            TensorPrimitives.Divide<double>(beta.AsSpan(j * t, t), std[j], wj);
            TensorPrimitives.MultiplyAdd<double>(wj, -mean[j], b, b);
        }
        return (w, b);
    }

    private static float[] PredictCounts(float[] x, int rows, int f, double[] w, double[] b, int t)
    {
        var pred = new float[rows * t];
        Parallel.For(0, rows, () => new double[t], (r, _, acc) =>
        {
            b.CopyTo(acc, 0);
            var row = x.AsSpan(r * f, f);
            for (int j = 0; j < f; j++)
            {
                if (row[j] != 0)
                {
                    TensorPrimitives.MultiplyAdd<double>(w.AsSpan(j * t, t), row[j], acc, acc);
                }
            }
            for (int c = 0; c < t; c++)
            {
                pred[r * t + c] = (float)acc[c];
            }
            return acc;
        }, _ => { });
        return pred;
    }
}
