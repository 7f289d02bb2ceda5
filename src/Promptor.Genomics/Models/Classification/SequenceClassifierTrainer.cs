using Promptor.Genomics.Dna;
using Promptor.Genomics.Training;
using Promptor.Nn.Optim;
using Promptor.Nn.Optim.Schedules;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Genomics.Models.Classification;

/// <summary>Options of <see cref="SequenceClassifierTrainer"/>.</summary>
public sealed record SequenceClassifierTrainerOptions
{
    /// <summary>Passes over the training sequences. Default 20.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Sequences per step. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of AdamW (warm-up over the first epoch, then cosine decay). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decoupled weight decay on weights of rank ≥ 2. Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Stop after this many epochs without a better validation balanced accuracy. Default 5.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Train on the reverse complement of a random half of each batch. Default true.</summary>
    public bool ReverseComplementAugmentation { get; init; } = true;

    /// <summary>Seed of the shuffling and the augmentation. Default 0.</summary>
    public ulong Seed { get; init; }
}

/// <summary>One epoch of <see cref="SequenceClassifierTrainer.Fit"/>.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training batches (nats).</param>
/// <param name="Validation">Metrics on the validation sequences after the epoch.</param>
public sealed record SequenceClassifierEpoch(int Epoch, double TrainLoss, ClassifierScores Validation);

/// <summary>Accuracy figures of a classifier on labelled sequences.</summary>
/// <param name="Accuracy">Fraction classified correctly (arg-max class).</param>
/// <param name="BalancedAccuracy">Mean over classes of the fraction of that class classified correctly.</param>
/// <param name="Auroc">For two classes, the AUROC of the class-1 probability; NaN otherwise.</param>
public readonly record struct ClassifierScores(double Accuracy, double BalancedAccuracy, double Auroc);

/// <summary>
/// Trains a <see cref="SequenceClassifier"/> with cross-entropy: AdamW, one epoch of linear warm-up
/// then cosine decay, gradient clipping at norm 1, reverse-complement augmentation, model selection
/// by validation balanced accuracy (robust to unbalanced classes such as 839 promoters against
/// 3,000 non-promoters), and the best weights restored at the end.
/// </summary>
public sealed class SequenceClassifierTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The options; default <see cref="SequenceClassifierTrainerOptions"/>'s defaults.</param>
    public SequenceClassifierTrainer(SequenceClassifierTrainerOptions? options = null) => Options = options ?? new SequenceClassifierTrainerOptions();

    /// <summary>The options.</summary>
    public SequenceClassifierTrainerOptions Options { get; }

    /// <summary>Called after every epoch (progress reporting); default none.</summary>
    public Action<SequenceClassifierEpoch>? EpochCompleted { get; init; }

    /// <summary>
    /// Trains <paramref name="model"/> in place and returns the epochs run; the best validation
    /// epoch's weights are loaded at the end and the model is left in evaluation mode.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="train">Training sequences (A/C/G/T/N…, all of one length).</param>
    /// <param name="trainLabels">Their classes in <c>[0, classes)</c>.</param>
    /// <param name="validation">Validation sequences (same length).</param>
    /// <param name="validationLabels">Their classes.</param>
    /// <exception cref="ArgumentException">Empty sets, mismatched counts, labels out of range, unequal lengths or illegal characters.</exception>
    public IReadOnlyList<SequenceClassifierEpoch> Fit(SequenceClassifier model, IReadOnlyList<string> train, IReadOnlyList<int> trainLabels,
        IReadOnlyList<string> validation, IReadOnlyList<int> validationLabels)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckLabels(model, train, trainLabels, nameof(train));
        CheckLabels(model, validation, validationLabels, nameof(validation));
        var o = Options;
        var x = OneHot.EncodeBatch(train);                                   // (N, L, 4)
        int n = train.Count, stride = x.Shape[1] * 4;
        var optimizer = new AdamW(ParameterGroups.WithWeightDecay(model, o.WeightDecay), o.LearningRate);
        int stepsPerEpoch = (n + o.BatchSize - 1) / o.BatchSize;
        var schedule = new WarmupCosine(stepsPerEpoch, (long)stepsPerEpoch * Math.Max(1, o.Epochs), 0.01);
        var rng = new Generator(o.Seed);
        var order = Enumerable.Range(0, n).ToArray();
        var history = new List<SequenceClassifierEpoch>();
        Dictionary<string, Tensor>? best = null;
        double bestScore = double.NegativeInfinity;
        int sinceBest = 0;
        long step = 0;
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            model.Train();
            rng.Shuffle(order.AsSpan());
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < n; start += o.BatchSize)
            {
                int count = Math.Min(o.BatchSize, n - start);
                var data = new float[count * stride];
                var labels = new int[count];
                for (int i = 0; i < count; i++)
                {
                    int index = order[start + i];
                    var row = data.AsSpan(i * stride, stride);
                    x.Data.AsSpan(index * stride, stride).CopyTo(row);
                    if (o.ReverseComplementAugmentation && rng.NextInt(2) == 1)
                    {
                        ReverseComplement.OneHotInPlace(row);
                    }
                    labels[i] = trainLabels[index];
                }
                schedule.Apply(optimizer, step++);
                optimizer.ZeroGrad();
                var loss = model.Forward(new Tensor(new Shape(count, x.Shape[1], 4), data)).CrossEntropy(labels);
                loss.Backward();
                GradientClipping.ClipGradNorm(model.Parameters(), 1f);
                optimizer.Step();
                lossSum += loss.Item();
                batches++;
            }
            var scores = Score(Probabilities(model, validation), validationLabels, model.Options.ClassCount);
            var record = new SequenceClassifierEpoch(epoch, lossSum / batches, scores);
            history.Add(record);
            EpochCompleted?.Invoke(record);
            if (scores.BalancedAccuracy > bestScore)
            {
                bestScore = scores.BalancedAccuracy;
                best = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
                sinceBest = 0;
            }
            else if (++sinceBest >= o.Patience)
            {
                break;
            }
        }
        if (best is not null)
        {
            model.LoadStateDict(best);
        }
        model.Eval();
        return history;
    }

    /// <summary>
    /// Class probabilities <c>[sequence][class]</c> of <paramref name="sequences"/> (all of one length),
    /// averaged over both strands; the model is run in evaluation mode without a tape.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="sequences">The sequences.</param>
    /// <param name="batchSize">Sequences per forward pass. Default 256.</param>
    public static double[][] Probabilities(SequenceClassifier model, IReadOnlyList<string> sequences, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        bool wasTraining = model.IsTraining;
        model.Eval();
        int classes = model.Options.ClassCount;
        var result = new double[sequences.Count][];
        try
        {
            using (Tape.NoGrad())
            {
                for (int start = 0; start < sequences.Count; start += batchSize)
                {
                    int count = Math.Min(batchSize, sequences.Count - start);
                    var x = OneHot.EncodeBatch(sequences.Skip(start).Take(count).ToArray());
                    var forward = model.Forward(x).Softmax(-1).ToArray();
                    var reverse = model.Forward(ReverseComplement.OfOneHot(x)).Softmax(-1).ToArray();
                    for (int i = 0; i < count; i++)
                    {
                        var p = new double[classes];
                        for (int c = 0; c < classes; c++)
                        {
                            p[c] = 0.5 * (forward[i * classes + c] + reverse[i * classes + c]);
                        }
                        result[start + i] = p;
                    }
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return result;
    }

    /// <summary>Accuracy, balanced accuracy and (two classes) AUROC of <paramref name="probabilities"/> against <paramref name="labels"/>.</summary>
    /// <param name="probabilities">Class probabilities per sequence.</param>
    /// <param name="labels">True classes.</param>
    /// <param name="classes">Number of classes.</param>
    public static ClassifierScores Score(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (probabilities.Count != labels.Count || labels.Count == 0)
        {
            throw new ArgumentException($"Expected one label per prediction and at least one, got {probabilities.Count} predictions and {labels.Count} labels.");
        }
        var perClassCorrect = new int[classes];
        var perClassCount = new int[classes];
        int correct = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            int predicted = ArgMax(probabilities[i]);
            perClassCount[labels[i]]++;
            if (predicted == labels[i])
            {
                correct++;
                perClassCorrect[labels[i]]++;
            }
        }
        double balanced = Enumerable.Range(0, classes).Where(c => perClassCount[c] > 0).Average(c => (double)perClassCorrect[c] / perClassCount[c]);
        double auroc = double.NaN;
        if (classes == 2 && perClassCount[0] > 0 && perClassCount[1] > 0)
        {
            auroc = Metrics.Auroc(probabilities.Select(p => p[1]).ToArray(), labels.Select(l => l == 1).ToArray());
        }
        return new ClassifierScores((double)correct / labels.Count, balanced, auroc);
    }

    /// <summary>Index of the largest entry (the first on ties).</summary>
    public static int ArgMax(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int best = 0;
        for (int i = 1; i < values.Count; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static void CheckLabels(SequenceClassifier model, IReadOnlyList<string> sequences, IReadOnlyList<int> labels, string name)
    {
        ArgumentNullException.ThrowIfNull(sequences, name);
        ArgumentNullException.ThrowIfNull(labels, name);
        if (sequences.Count == 0 || sequences.Count != labels.Count)
        {
            throw new ArgumentException($"{name}: expected at least one sequence and one label per sequence, got {sequences.Count} sequences and {labels.Count} labels.", name);
        }
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= model.Options.ClassCount)
            {
                throw new ArgumentException($"{name}: label {labels[i]} of sequence {i} lies outside [0, {model.Options.ClassCount}).", name);
            }
        }
    }
}
