using Promptor.Genomics.Dna;
using Promptor.Genomics.Models.Classification;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Models.Classification;

public class SequenceClassifierTests
{
    private const string Motif = "TATAATG";

    /// <summary>Random 40-mers; class 1 carries the motif at a random position and strand.</summary>
    private static (List<string> Sequences, List<int> Labels) Planted(int count, ulong seed)
    {
        var rng = new Generator(seed);
        var sequences = new List<string>();
        var labels = new List<int>();
        for (int i = 0; i < count; i++)
        {
            var chars = Enumerable.Range(0, 40).Select(_ => "ACGT"[rng.NextInt(4)]).ToArray();
            int label = i % 2;
            if (label == 1)
            {
                string site = rng.NextInt(2) == 0 ? Motif : ReverseComplement.Of(Motif);
                site.CopyTo(0, chars, rng.NextInt(40 - site.Length + 1), site.Length);
            }
            sequences.Add(new string(chars));
            labels.Add(label);
        }
        return (sequences, labels);
    }

    [Fact]
    public void LearnsAPlantedMotifFromFewExamples()
    {
        var (train, trainLabels) = Planted(400, 1);
        var (validation, validationLabels) = Planted(100, 2);
        var model = new SequenceClassifier(new SequenceClassifierOptions { ClassCount = 2, Filters = 16 }, new Generator(3));
        var history = new SequenceClassifierTrainer(new SequenceClassifierTrainerOptions { Epochs = 8, BatchSize = 32, LearningRate = 3e-3, Seed = 4 })
            .Fit(model, train, trainLabels, validation, validationLabels);

        var scores = SequenceClassifierTrainer.Score(SequenceClassifierTrainer.Probabilities(model, validation), validationLabels, 2);
        Assert.True(scores.BalancedAccuracy > 0.9, $"balanced accuracy {scores.BalancedAccuracy:F3}");
        Assert.True(scores.Auroc > 0.95, $"AUROC {scores.Auroc:F3}");
        Assert.Equal(history.Max(e => e.Validation.BalancedAccuracy), scores.BalancedAccuracy, 9);
    }

    [Fact]
    public void ProbabilitiesAreStrandSymmetricAndSumToOne()
    {
        var (sequences, _) = Planted(6, 5);
        var model = new SequenceClassifier(new SequenceClassifierOptions { ClassCount = 3, Filters = 8 }, new Generator(6));
        var forward = SequenceClassifierTrainer.Probabilities(model, sequences);
        var reverse = SequenceClassifierTrainer.Probabilities(model, sequences.Select(ReverseComplement.Of).ToArray());

        for (int i = 0; i < sequences.Count; i++)
        {
            Assert.Equal(1.0, forward[i].Sum(), 5);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(forward[i][c], reverse[i][c], 5);
            }
        }
    }

    [Fact]
    public void ScoreCountsAccuracyBalancedAccuracyAndAuroc()
    {
        // Three of class 0 (two right), one of class 1 (right): accuracy 3/4, balanced (2/3 + 1)/2.
        double[][] p = [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.3, 0.7]];
        var scores = SequenceClassifierTrainer.Score(p, [0, 0, 0, 1], 2);

        Assert.Equal(0.75, scores.Accuracy, 12);
        Assert.Equal((2.0 / 3 + 1) / 2, scores.BalancedAccuracy, 12);
        Assert.Equal(2.0 / 3, scores.Auroc, 12);   // class-1 score 0.7 beats 0.1 and 0.4, loses to 0.8
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var model = new SequenceClassifier(new SequenceClassifierOptions { ClassCount = 2, Filters = 4 }, new Generator(1));
        var trainer = new SequenceClassifierTrainer();
        Assert.Throws<ArgumentException>(() => trainer.Fit(model, ["ACGT"], [2], ["ACGT"], [0]));
        Assert.Throws<ArgumentException>(() => trainer.Fit(model, ["ACGT", "AC"], [0, 1], ["ACGT"], [0]));
        Assert.Throws<ArgumentException>(() => new SequenceClassifierOptions { ClassCount = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => model.Forward(new Tensor(new Shape(2, 10, 3))));
    }
}
