using Promptor.Genomics.Data;
using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Nn;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Training;

/// <summary>
/// Inference with a trained promoter model: in evaluation mode, under <see cref="Tape.NoGrad"/>, in
/// batches, optionally averaged over both strands (<c>(f(x) + f(rc(x))) / 2</c>; for classification the
/// class probabilities are averaged), with the target standardisation undone. The model's train/eval
/// mode is restored afterwards.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Predicts <paramref name="sequences"/> <c>(B, L, 4)</c> in the targets' original units: <c>(B, T)</c>.
    /// For classification the value is P(up) − P(down), in [−1, 1].
    /// </summary>
    public static Tensor Predict<TModel>(TModel model, Tensor sequences, EvaluationSettings? settings = null)
        where TModel : Module, IPromoterModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        settings ??= new EvaluationSettings();
        CheckModel(model, model.TreatmentCount, settings.Task);
        if (sequences.Rank != 3 || sequences.Shape[2] != DnaAlphabet.Size)
        {
            throw new ArgumentException($"Sequences must be one-hot (B, L, 4), got {sequences.Shape}.", nameof(sequences));
        }
        int b = sequences.Shape[0], stride = sequences.Shape[1] * DnaAlphabet.Size;
        var raw = Run(model, settings, b, (start, count) =>
            new Tensor(new Shape(count, sequences.Shape[1], DnaAlphabet.Size), sequences.Data.AsSpan(start * stride, count * stride).ToArray()));
        return ToOriginalUnits(raw, model.TreatmentCount, settings).Predictions;
    }

    /// <summary>
    /// Evaluates <paramref name="model"/> on the dataset rows <paramref name="indices"/>: predictions in
    /// original units, per-treatment metrics over the observed targets, and the loss.
    /// </summary>
    public static EvaluationResult Evaluate<TModel>(TModel model, PromoterDataset dataset, IReadOnlyList<int> indices, EvaluationSettings? settings = null)
        where TModel : Module, IPromoterModel
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        settings ??= new EvaluationSettings();
        CheckModel(model, dataset.TreatmentCount, settings.Task);
        var rows = indices.ToArray();
        foreach (int i in rows)
        {
            if ((uint)i >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside 0..{dataset.Count - 1}.");
            }
        }
        int t = dataset.TreatmentCount, n = rows.Length;
        var raw = Run(model, settings, n, (start, count) => dataset.GetBatch(rows.AsSpan(start, count)).Sequences);
        var (predictions, probabilities) = ToOriginalUnits(raw, t, settings);

        var (targets, mask) = TargetsOf(dataset, rows);
        var metrics = Score(dataset, predictions, probabilities, targets, mask, settings);
        double loss = Loss(raw, targets, mask, t, settings);
        return new EvaluationResult(rows, rows.Select(i => dataset.GeneIds[i]).ToArray(), dataset.Treatments, predictions, probabilities, metrics, loss);
    }

    /// <summary>
    /// The ensemble of several models' evaluations of the same genes (e.g. seeds): predictions in
    /// original units (and class probabilities) averaged over <paramref name="members"/>, and the
    /// per-treatment metrics recomputed on the average. Seed ensembles are a cheap, reliable gain on
    /// small data. The ensemble's <see cref="EvaluationResult.Loss"/> is the members' mean loss.
    /// </summary>
    /// <param name="members">≥ 1 results of <see cref="Evaluate{TModel}"/> on the same rows and treatments, all regression or all classification.</param>
    /// <param name="dataset">The dataset the members were evaluated on (for the targets).</param>
    /// <param name="settings">The thresholds of classification; default <see cref="EvaluationSettings"/>.</param>
    /// <exception cref="ArgumentException">No members, or members on other rows, treatments or tasks.</exception>
    public static EvaluationResult Ensemble(IReadOnlyList<EvaluationResult> members, PromoterDataset dataset, EvaluationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(dataset);
        settings ??= new EvaluationSettings();
        if (members.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }
        var first = members[0];
        foreach (var m in members)
        {
            if (!m.Indices.AsSpan().SequenceEqual(first.Indices) || !m.Treatments.SequenceEqual(first.Treatments, StringComparer.Ordinal)
                || (m.Probabilities is null) != (first.Probabilities is null))
            {
                throw new ArgumentException("Ensemble members must be evaluations of the same genes and treatments with the same task.", nameof(members));
            }
        }
        if (!dataset.Treatments.SequenceEqual(first.Treatments, StringComparer.Ordinal))
        {
            throw new ArgumentException("The dataset's treatments differ from the members'.", nameof(dataset));
        }
        static Tensor Mean(IEnumerable<Tensor> tensors, Shape shape, int count)
        {
            var sum = new float[shape.Size];
            foreach (var tensor in tensors)
            {
                var data = tensor.Data;
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += data[i];
                }
            }
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] /= count;
            }
            return new Tensor(shape, sum);
        }
        var predictions = Mean(members.Select(m => m.Predictions), first.Predictions.Shape, members.Count);
        var probabilities = first.Probabilities is null ? null : Mean(members.Select(m => m.Probabilities!), first.Probabilities.Shape, members.Count);
        var (targets, mask) = TargetsOf(dataset, first.Indices);
        var metrics = Score(dataset, predictions, probabilities, targets, mask, settings);
        return new EvaluationResult(first.Indices, first.GeneIds, first.Treatments, predictions, probabilities, metrics, members.Average(m => m.Loss));
    }

    /// <summary>The targets and mask <c>(n, T)</c> of the dataset rows <paramref name="rows"/>, in order.</summary>
    private static (float[] Targets, float[] Mask) TargetsOf(PromoterDataset dataset, int[] rows)
    {
        int t = dataset.TreatmentCount;
        var targets = new float[rows.Length * t];
        var mask = new float[rows.Length * t];
        for (int r = 0; r < rows.Length; r++)
        {
            dataset.Targets.Data.AsSpan(rows[r] * t, t).CopyTo(targets.AsSpan(r * t, t));
            dataset.Mask.Data.AsSpan(rows[r] * t, t).CopyTo(mask.AsSpan(r * t, t));
        }
        return (targets, mask);
    }

    /// <summary>Per-treatment metrics of predictions (and class probabilities, for classification) against the targets.</summary>
    private static TreatmentMetrics Score(PromoterDataset dataset, Tensor predictions, Tensor? probabilities, float[] targets, float[] mask, EvaluationSettings settings)
    {
        var classification = probabilities is null ? null : new ClassificationScores(probabilities.Data, settings.DownThreshold, settings.UpThreshold);
        return Metrics.PerTreatment(predictions.Data, targets, mask, dataset.Treatments, classification);
    }

    internal static void CheckModel(IPromoterModel model, int treatments, TaskKind task)
    {
        if (model.TreatmentCount != treatments)
        {
            throw new ArgumentException($"The model predicts {model.TreatmentCount} treatments but the data has {treatments}.");
        }
        int outputs = task == TaskKind.Classification ? ClassLabels.Count : 1;
        if (model.OutputsPerTreatment != outputs)
        {
            throw new ArgumentException($"{task} needs {outputs} output(s) per treatment, but the model has {model.OutputsPerTreatment} (set OutputsPerTreatment).");
        }
    }

    /// <summary>
    /// Runs the model over <paramref name="count"/> sequences fetched in batches; returns the raw outputs
    /// (standardised values <c>(n, T)</c>, or class probabilities <c>(n, T, 3)</c>), strand-averaged on request.
    /// </summary>
    private static float[] Run<TModel>(TModel model, EvaluationSettings settings, int count, Func<int, int, Tensor> fetch)
        where TModel : Module, IPromoterModel
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.BatchSize);
        int per = model.TreatmentCount * (settings.Task == TaskKind.Classification ? ClassLabels.Count : 1);
        var output = new float[count * per];
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using (Tape.NoGrad())
            {
                for (int start = 0; start < count; start += settings.BatchSize)
                {
                    int b = Math.Min(settings.BatchSize, count - start);
                    var x = fetch(start, b);                                    // (b, L, 4)
                    var dest = output.AsSpan(start * per, b * per);
                    Forward(model, x, settings.Task, dest);
                    if (settings.ReverseComplementAveraging)
                    {
                        var other = new float[b * per];
                        Forward(model, ReverseComplement.OfOneHot(x), settings.Task, other);
                        for (int i = 0; i < dest.Length; i++)
                        {
                            dest[i] = 0.5f * (dest[i] + other[i]);
                        }
                    }
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return output;
    }

    private static void Forward(IPromoterModel model, Tensor x, TaskKind task, Span<float> destination)
    {
        var y = model.Forward(x);                                               // (b, T) or (b, T, 3)
        if (y.Size != destination.Length)
        {
            throw new InvalidOperationException($"The model returned {y.Shape} for {x.Shape[0]} sequences; expected {destination.Length} values.");
        }
        if (task == TaskKind.Classification)
        {
            y = y.Softmax(-1);
        }
        y.Data.AsSpan().CopyTo(destination);
    }

    private static (Tensor Predictions, Tensor? Probabilities) ToOriginalUnits(float[] raw, int t, EvaluationSettings settings)
    {
        if (settings.Task == TaskKind.Classification)
        {
            int n = raw.Length / (t * ClassLabels.Count);
            var score = new float[n * t];
            for (int cell = 0; cell < score.Length; cell++)
            {
                score[cell] = raw[cell * ClassLabels.Count + ClassLabels.Up] - raw[cell * ClassLabels.Count + ClassLabels.Down];
            }
            return (new Tensor(new Shape(n, t), score), new Tensor(new Shape(n, t, ClassLabels.Count), raw));
        }
        var values = (float[])raw.Clone();
        settings.Scaler?.InverseInPlace(values);
        return (new Tensor(new Shape(values.Length / t, t), values), null);
    }

    private static double Loss(float[] raw, float[] targets, float[] mask, int t, EvaluationSettings settings)
    {
        double sum = 0;
        long count = 0;
        for (int cell = 0; cell < targets.Length; cell++)
        {
            if (mask[cell] == 0)
            {
                continue;
            }
            count++;
            if (settings.Task == TaskKind.Classification)
            {
                int label = ClassLabels.Of(targets[cell], settings.DownThreshold, settings.UpThreshold);
                sum -= Math.Log(Math.Max(raw[cell * ClassLabels.Count + label], 1e-12));
            }
            else
            {
                int j = cell % t;
                double z = settings.Scaler is null ? targets[cell] : (targets[cell] - settings.Scaler.Means[j]) / settings.Scaler.Stds[j];
                double d = raw[cell] - z;
                sum += d * d;
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
