using System.Diagnostics;
using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Xunit.Abstractions;

namespace Promptor.Tests.Genomics.Training;

public class TrainerTests(ITestOutputHelper output)
{
    private static TrainerOptions Quick => new() { Epochs = 2, BatchSize = 32, LearningRate = 1e-2, MaxBatchesPerEpoch = 3, Patience = 0, Seed = 9 };

    [Fact]
    public void TinyEndToEndTrainingLearnsPlantedMotifs()
    {
        var clock = Stopwatch.StartNew();
        var model = new CondPromoter(TrainingFixture.TinyModel(dropout: 0f), new Generator(1));
        var log = new StringWriter();
        var trainer = new Trainer(new TrainerOptions { Epochs = 15, BatchSize = 16, LearningRate = 1e-2, Seed = 3 }, new PlainTextProgress(log));
        var result = trainer.Fit(model, TrainingFixture.Dataset, TrainingFixture.Split);
        var test = trainer.Evaluate(model, TrainingFixture.Dataset, TrainingFixture.Split.Test);
        output.WriteLine(log.ToString());
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s; best epoch {result.BestEpoch}, validation r {result.BestMetric:F3}, test r {test.Metrics.MeanPearson:F3}");

        Assert.True(result.History[^1].TrainLoss < 0.5 * result.History[0].TrainLoss,
            $"training loss should fall: {result.History[0].TrainLoss:F3} → {result.History[^1].TrainLoss:F3}");
        Assert.True(result.BestMetric > 0.6, $"validation Pearson {result.BestMetric:F3}");
        Assert.True(test.Metrics.MeanPearson > 0.5, $"test Pearson {test.Metrics.MeanPearson:F3}");
        Assert.Equal(result.BestMetric, result.History[result.BestEpoch - 1].ValidationPearson);
        Assert.Equal(result.History.Count + 2, log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // start + epochs + end
    }

    [Fact]
    public void MaskedLossIgnoresMissingTargets()
    {
        var pred = new Tensor(new Shape(2, 2), [1f, 2f, 3f, 4f], requiresGrad: true);
        var mask = new Tensor(new Shape(2, 2), [1f, 0f, 1f, 1f]);
        var loss = pred.MseLoss(new Tensor(new Shape(2, 2), [0f, 0f, 0f, 0f]), mask);
        loss.Backward();
        var again = pred.MseLoss(new Tensor(new Shape(2, 2), [0f, 1e6f, 0f, 0f]), mask);
        Assert.Equal((1f + 9f + 16f) / 3, loss.Item(), 5);
        Assert.Equal(loss.Item(), again.Item());
        Assert.Equal(0f, pred.Grad!.Data[1]);
    }

    [Theory]
    [InlineData(TaskKind.Regression, false)]
    [InlineData(TaskKind.Regression, true)]
    [InlineData(TaskKind.Classification, false)]
    public void ChangingAMaskedTargetChangesNothing(TaskKind task, bool standardize)
    {
        // One full epoch, so every training gene is seen and the returned (best) weights are the trained ones.
        var options = Quick with { Task = task, StandardizeTargets = standardize, Epochs = 1, MaxBatchesPerEpoch = null };
        int outputs = task == TaskKind.Classification ? 3 : 1;
        var split = TrainingFixture.Split;

        Dictionary<string, float[]> Train(Func<int, int, float> masked, Action<Promptor.Genomics.Data.PromoterDataset>? edit = null)
        {
            var data = TrainingFixture.WithMissing(masked);
            edit?.Invoke(data);
            var model = new CondPromoter(TrainingFixture.TinyModel(outputs), new Generator(4));
            new Trainer(options).Fit(model, data, split);
            return TrainingFixture.Weights(model);
        }

        var zeros = Train((_, _) => 0f);
        var garbage = Train((i, j) => 1000f * (i % 7) - 3000f + j);
        Assert.True(TrainingFixture.BitIdentical(zeros, garbage), "a masked target changed the weights");

        // Control: changing one observed training target (across the class thresholds) does change them.
        int row = split.Train.First(i => (i * 7 + 1 * 3) % 5 != 0);
        var observed = Train((_, _) => 0f, d =>
        {
            ref float y = ref d.Targets.Data[row * d.TreatmentCount + 1];
            y = y > 0 ? -5f : 5f;
        });
        Assert.False(TrainingFixture.BitIdentical(zeros, observed));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void ResumeAfterAnInterruptionEqualsAnUninterruptedRun(double weightAverageDecay)
    {
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        var options = new TrainerOptions { Epochs = 4, BatchSize = 32, LearningRate = 1e-2, MaxBatchesPerEpoch = 4, Patience = 0, Seed = 21, WeightAverageDecay = weightAverageDecay };
        var modelOptions = TrainingFixture.TinyModel(dropout: 0.2f) with { SelfAttentionBlocks = 1 };

        var straight = new CondPromoter(modelOptions, new Generator(8));
        var resultA = new Trainer(options with { OutputDirectory = dirA.Path }).Fit(straight, TrainingFixture.Dataset, TrainingFixture.Split);

        // Killed in the middle of epoch 3: the files of epoch 2 remain.
        using var cancel = new CancellationTokenSource();
        var killer = new Reporter { OnStep = s => { if (s.Epoch == 3 && s.Batch == 2) { cancel.Cancel(); } } };
        var interrupted = new CondPromoter(modelOptions, new Generator(8));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(options with { OutputDirectory = dirB.Path }, killer).Fit(interrupted, TrainingFixture.Dataset, TrainingFixture.Split, cancellationToken: cancel.Token));
        Assert.Equal(2, RunManifest.Load(Path.Combine(dirB.Path, RunManifest.FileName)).EpochsCompleted);

        // A new process: a fresh model (other initial weights) and a new trainer resume from disk.
        var starts = new List<TrainingStart>();
        var resumed = new CondPromoter(modelOptions, new Generator(12345));
        var resultB = new Trainer(options with { OutputDirectory = dirB.Path, Resume = true }, new Reporter { OnStart = starts.Add })
            .Fit(resumed, TrainingFixture.Dataset, TrainingFixture.Split);

        Assert.Equal(3, starts.Single().FirstEpoch);
        Assert.True(TrainingFixture.BitIdentical(TrainingFixture.Weights(straight), TrainingFixture.Weights(resumed)), "final weights differ");
        var lastA = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(dirA.Path, Trainer.LastFileName)).Tensors;
        var lastB = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(dirB.Path, Trainer.LastFileName)).Tensors;
        Assert.True(TrainingFixture.BitIdentical(lastA.ToDictionary(p => p.Key, p => p.Value.ToArray()), lastB.ToDictionary(p => p.Key, p => p.Value.ToArray())), "last checkpoints differ");
        Assert.Equal(resultA.History.Select(h => (h.TrainLoss, h.ValidationLoss, h.ValidationPearson)), resultB.History.Select(h => (h.TrainLoss, h.ValidationLoss, h.ValidationPearson)));
        Assert.Equal(resultA.BestEpoch, resultB.BestEpoch);
        Assert.Equal(4, MetricsFile.ReadEpochs(Path.Combine(dirB.Path, Trainer.MetricsFileName))["epoch"].Length);

        // Control: another seed gives other weights, so the comparison above can fail.
        var other = new CondPromoter(modelOptions, new Generator(8));
        new Trainer(options with { Seed = 22 }).Fit(other, TrainingFixture.Dataset, TrainingFixture.Split);
        Assert.False(TrainingFixture.BitIdentical(TrainingFixture.Weights(straight), TrainingFixture.Weights(other)));
    }

    [Fact]
    public void WeightAveragingValidatesAndCheckpointsTheAverageButTrainsTheLiveWeights()
    {
        using var dir = new TempDirectory();
        var options = Quick with { Epochs = 3, WeightAverageDecay = 0.8, OutputDirectory = dir.Path };
        var model = new CondPromoter(TrainingFixture.TinyModel(dropout: 0f), new Generator(5));
        var result = new Trainer(options).Fit(model, TrainingFixture.Dataset, TrainingFixture.Split);

        var resume = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(dir.Path, Trainer.ResumeFileName));
        var last = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(dir.Path, Trainer.LastFileName)).Tensors;
        var best = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(dir.Path, Trainer.BestFileName)).Tensors;
        Assert.Equal((options.Epochs * options.MaxBatchesPerEpoch!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            resume.Metadata["promptor.weight_average_updates"]);
        int parameters = 0;
        foreach (var (name, parameter) in model.NamedParameters())
        {
            var average = resume.Tensors["weight_average." + name].ToArray();
            var liveWeights = resume.Tensors["model." + name].ToArray();
            Assert.Equal(average, last[name].ToArray());       // the last checkpoint holds the average …
            parameters += average.SequenceEqual(liveWeights) ? 0 : 1; // … which is not the live weights
            if (result.BestEpoch == options.Epochs)
            {
                Assert.Equal(average, parameter.Data);           // and so does the returned model
            }
            Assert.Equal(best[name].ToArray(), parameter.Data);
        }
        Assert.True(parameters > model.NamedParameters().Count() / 2, $"only {parameters} averages differ from the live weights");

        // Without averaging, the same run checkpoints the live weights.
        var plain = new CondPromoter(TrainingFixture.TinyModel(dropout: 0f), new Generator(5));
        using var plainDir = new TempDirectory();
        new Trainer(options with { WeightAverageDecay = 0, OutputDirectory = plainDir.Path }).Fit(plain, TrainingFixture.Dataset, TrainingFixture.Split);
        var plainResume = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(plainDir.Path, Trainer.ResumeFileName));
        Assert.DoesNotContain(plainResume.Tensors.Keys, k => k.StartsWith("weight_average.", StringComparison.Ordinal));
        foreach (var (name, tensor) in resume.Tensors.Where(p => p.Key.StartsWith("model.", StringComparison.Ordinal)))
        {
            Assert.Equal(tensor.ToArray(), plainResume.Tensors[name].ToArray()); // averaging never touches the training path
        }
    }

    [Fact]
    public void RunJsonRecordsEverythingAndRebuildsTheModel()
    {
        using var dir = new TempDirectory();
        var options = Quick with { OutputDirectory = dir.Path, Epochs = 1 };
        var model = new CondPromoter(TrainingFixture.TinyModel(), new Generator(2));
        var trainer = new Trainer(options);
        trainer.Fit(model, TrainingFixture.Dataset, TrainingFixture.Split, inputFiles: []);

        string json = File.ReadAllText(Path.Combine(dir.Path, RunManifest.FileName));
        Assert.Contains("\"conditioning\": \"CrossAttention\"", json, StringComparison.Ordinal);
        Assert.Contains("\"selection_metric\": \"MeanPearson\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("encoded_length", json, StringComparison.Ordinal);
        var manifest = RunManifest.Load(Path.Combine(dir.Path, RunManifest.FileName));
        Assert.Equal(options, manifest.TrainerOptions);
        Assert.Equal(options.Seed, manifest.Seed);
        Assert.Equal(PromptorVersion.Current, manifest.PromptorVersion);
        Assert.Equal(TrainingFixture.Dataset.Treatments, manifest.Treatments);
        Assert.Equal(new GeneCounts(300, TrainingFixture.Split.Train.Length, TrainingFixture.Split.Validation.Length, TrainingFixture.Split.Test.Length), manifest.Genes);
        Assert.True(manifest.Data.SameDataAs(DataHashes.Of(TrainingFixture.Dataset, TrainingFixture.Split)));
        Assert.Equal(64, manifest.Data.Sequences.Length);
        Assert.Equal(trainer.Scaler!.Means, manifest.Scaler.Means);
        Assert.Equal(TargetScaler.Fit(TrainingFixture.Dataset, TrainingFixture.Split.Train).Means, trainer.Scaler.Means);   // train genes only
        Assert.NotEqual(TargetScaler.Fit(TrainingFixture.Dataset, Enumerable.Range(0, 300).ToArray()).Means, trainer.Scaler.Means);
        Assert.Equal(RunStatus.Completed, manifest.Status);
        Assert.Single(manifest.Metrics);
        Assert.True(ModelOptionsJson.AreEqual(model.Options, manifest.Model.CondPromoterOptions()));

        var rebuilt = manifest.CreateCondPromoter(new Generator(77));
        var info = TrainingCheckpoint.Load(Path.Combine(dir.Path, Trainer.BestFileName), rebuilt);
        var x = TrainingFixture.Dataset.GetBatch([0, 1, 2, 3]).Sequences;
        var settings = EvaluationSettings.From(info);
        Assert.Equal(Evaluation.Predict(model, x, settings).Data, Evaluation.Predict(rebuilt, x, settings).Data);
        var (loaded, _) = TrainingCheckpoint.LoadCondPromoter(Path.Combine(dir.Path, Trainer.BestFileName));
        Assert.Equal(Evaluation.Predict(model, x, settings).Data, Evaluation.Predict(loaded, x, settings).Data);
    }

    [Fact]
    public void ModelOptionsRoundTripThroughJson()
    {
        var options = new CondPromoterOptions
        {
            TreatmentCount = 5,
            SequenceLength = 120,
            Convolutions = [new(12, 7, 2, 3), new(8, 3, 1, 1)],
            BatchNorm = false,
            ModelDim = 12,
            Positions = Promptor.Nn.Positional.PositionalEncodingKind.Learned,
            SelfAttentionBlocks = 1,
            SelfAttentionHeads = 3,
            CrossAttentionHeads = 4,
            CrossAttentionBlocks = 2,
            QueriesPerTreatment = 2,
            NormFirst = true,
            Dropout = 0.15f,
            HeadHidden = 9,
            Conditioning = ConditioningMethod.CrossAttentionEveryBlock,
            OutputsPerTreatment = 3,
        };
        string json = ModelOptionsJson.Serialize(options);
        var back = ModelOptionsJson.Deserialize(json);
        Assert.Equal(options.Convolutions, back.Convolutions);
        Assert.Equal(options with { Convolutions = back.Convolutions }, back);
        Assert.Contains("\"positions\":\"Learned\"", json, StringComparison.Ordinal);
        Assert.Throws<System.Text.Json.JsonException>(() => ModelOptionsJson.Deserialize("{\"sequence_length\":10}")); // treatment_count is required
    }

    [Fact]
    public void MetricsAreWrittenAfterEveryEpochAndNeverTorn()
    {
        using var dir = new TempDirectory();
        var seen = new List<int>();
        var reporter = new Reporter
        {
            OnEpoch = s =>
            {
                var table = MetricsFile.ReadEpochs(Path.Combine(dir.Path, Trainer.MetricsFileName));
                seen.Add(table["epoch"].Length);
                Assert.Equal(s.Record.ValidationPearson, table["val_mean_pearson"][^1], 6);
                Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
            },
        };
        new Trainer(Quick with { Epochs = 3, OutputDirectory = dir.Path }, reporter).Fit(
            new CondPromoter(TrainingFixture.TinyModel(), new Generator(3)), TrainingFixture.Dataset, TrainingFixture.Split);
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(["epoch", "step", "lr", "train_loss", "val_loss", "val_mean_pearson", "val_mean_spearman", "seconds"],
            File.ReadLines(Path.Combine(dir.Path, Trainer.MetricsFileName)).First().Split('\t'));
        Assert.Equal(1 + 3 * 3, File.ReadAllLines(Path.Combine(dir.Path, Trainer.PerTreatmentMetricsFileName)).Length);
    }

    [Fact]
    public async Task ConcurrentReadersNeverSeeAPartialMetricsFile()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, Trainer.MetricsFileName);
        var row = new EpochRecord(1, 10, 1e-3, 0.5, 0.6, 0.3, 0.2, double.NaN, double.NaN, 1.5, true, []);
        var small = Enumerable.Range(1, 10).Select(e => row with { Epoch = e }).ToArray();
        var large = Enumerable.Range(1, 3000).Select(e => row with { Epoch = e }).ToArray();
        MetricsFile.WriteEpochs(path, small);
        string expectSmall = File.ReadAllText(path);
        MetricsFile.WriteEpochs(path, large);
        string expectLarge = File.ReadAllText(path);

        using var stop = new CancellationTokenSource();
        int reads = 0, torn = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    string text = File.ReadAllText(path);
                    Interlocked.Increment(ref reads);
                    if (text != expectSmall && text != expectLarge)
                    {
                        torn++;
                    }
                }
                catch (IOException)
                {
                }
            }
        });
        for (int i = 0; i < 2000 && (i < 40 || Volatile.Read(ref reads) < 50); i++)
        {
            MetricsFile.WriteEpochs(path, i % 2 == 0 ? small : large);
        }
        // On a busy machine the reader's thread may start only after the writes: let it read once.
        SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 0, TimeSpan.FromSeconds(10));
        stop.Cancel();
        await reader;
        Assert.True(reads > 0);
        Assert.Equal(0, torn);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }

    [Fact]
    public void AnExistingRunIsNeitherOverwrittenNorResumedWithOtherOptions()
    {
        using var dir = new TempDirectory();
        var options = Quick with { Epochs = 1, OutputDirectory = dir.Path };
        new Trainer(options).Fit(new CondPromoter(TrainingFixture.TinyModel(), new Generator(1)), TrainingFixture.Dataset, TrainingFixture.Split);
        string runJson = Path.Combine(dir.Path, RunManifest.FileName);
        byte[] before = File.ReadAllBytes(runJson);

        var e = Assert.Throws<IOException>(() => new Trainer(options).Fit(new CondPromoter(TrainingFixture.TinyModel(), new Generator(1)), TrainingFixture.Dataset, TrainingFixture.Split));
        Assert.Contains("already holds a run", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(runJson));

        var mismatch = Assert.Throws<CheckpointMismatchException>(() => new Trainer(options with { Resume = true, LearningRate = 0.5 })
            .Fit(new CondPromoter(TrainingFixture.TinyModel(), new Generator(1)), TrainingFixture.Dataset, TrainingFixture.Split));
        Assert.Contains("learning_rate", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', mismatch.Message);

        var otherModel = Assert.Throws<CheckpointMismatchException>(() => new Trainer(options with { Resume = true })
            .Fit(new CondPromoter(TrainingFixture.TinyModel(modelDim: 8), new Generator(1)), TrainingFixture.Dataset, TrainingFixture.Split));
        Assert.Contains("model_dim", otherModel.Message, StringComparison.Ordinal);

        new Trainer(options with { Overwrite = true }).Fit(new CondPromoter(TrainingFixture.TinyModel(), new Generator(1)), TrainingFixture.Dataset, TrainingFixture.Split);
        Assert.Equal(RunStatus.Completed, RunManifest.Load(runJson).Status);
    }

    [Fact]
    public void CheckpointOfAnotherModelOrVersionIsRejectedWithOneLine()
    {
        using var dir = new TempDirectory();
        var model = new CondPromoter(TrainingFixture.TinyModel(), new Generator(1));
        var info = new CheckpointInfo(ModelDescription.Of(model), PromptorVersion.Current, TrainingFixture.Dataset.Treatments.ToArray(),
            ScalerSnapshot.Of(TargetScaler.Identity(TrainingFixture.Dataset.Treatments)), TaskKind.Regression, -0.58f, 0.58f, 1);
        string path = Path.Combine(dir.Path, "model.safetensors");
        TrainingCheckpoint.Save(path, model, info);

        void Rejected(Promptor.Nn.Module target, string expected, string file)
        {
            var e = Assert.Throws<CheckpointMismatchException>(() => TrainingCheckpoint.Load(file, target));
            output.WriteLine(e.Message);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }

        Rejected(new CondPromoter(TrainingFixture.TinyModel(modelDim: 8), new Generator(1)), "model_dim is 16 in the checkpoint and 8 in the model", path);
        Rejected(new CondPromoter(TrainingFixture.TinyModel() with { Conditioning = ConditioningMethod.Film }, new Generator(1)), "conditioning", path);
        Rejected(new MeanModel(3), "holds a CondPromoter model, not a MeanModel", path);

        string future = Path.Combine(dir.Path, "future.safetensors");
        TrainingCheckpoint.Save(future, model, info with { PromptorVersion = "99.0.0" });
        Rejected(new CondPromoter(TrainingFixture.TinyModel(), new Generator(1)), "major versions must match", future);

        string plain = Path.Combine(dir.Path, "plain.safetensors");
        Promptor.Nn.Serialization.ModuleCheckpoint.Save(plain, model);
        Rejected(model, "not a Promptor checkpoint", plain);

        var same = new CondPromoter(TrainingFixture.TinyModel(), new Generator(99));
        Assert.Equal(1, TrainingCheckpoint.Load(path, same).Epoch);
        Assert.True(TrainingFixture.BitIdentical(TrainingFixture.Weights(model), TrainingFixture.Weights(same)));
    }

    [Fact]
    public void CheckpointWrittenBeforeAnOptionExistedLoadsWithThatOptionsDefault()
    {
        // A checkpoint from a version without "treatment_embedding_std" records neither the key
        // nor a hash that covers it; the option's default reproduces that version's model.
        using var dir = new TempDirectory();
        var model = new CondPromoter(TrainingFixture.TinyModel(), new Generator(1));
        ModelDescription current = ModelDescription.Of(model);
        var older = (System.Text.Json.Nodes.JsonObject)current.Options!.DeepClone();
        Assert.True(older.Remove("treatment_embedding_std"));
        string olderJson = older.ToJsonString();
        var olderDescription = new ModelDescription(ModelDescription.CondPromoterKind, older, ModelDescription.Hash(olderJson));
        Assert.NotEqual(current.OptionsHash, olderDescription.OptionsHash);
        var info = new CheckpointInfo(olderDescription, PromptorVersion.Current, TrainingFixture.Dataset.Treatments.ToArray(),
            ScalerSnapshot.Of(TargetScaler.Identity(TrainingFixture.Dataset.Treatments)), TaskKind.Regression, -0.58f, 0.58f, 3);
        string path = Path.Combine(dir.Path, "older.safetensors");
        TrainingCheckpoint.Save(path, model, info);

        var (rebuilt, loaded) = TrainingCheckpoint.LoadCondPromoter(path);
        Assert.Equal(3, loaded.Epoch);
        Assert.Equal(1f, rebuilt.Options.TreatmentEmbeddingStd);
        Assert.True(TrainingFixture.BitIdentical(TrainingFixture.Weights(model), TrainingFixture.Weights(rebuilt)));

        // A model that sets the option to something else still does not match.
        var other = new CondPromoter(TrainingFixture.TinyModel() with { TreatmentEmbeddingStd = 0.02f }, new Generator(1));
        var e = Assert.Throws<CheckpointMismatchException>(() => TrainingCheckpoint.Load(path, other));
        Assert.Contains("treatment_embedding_std is 1 in the checkpoint and 0.02 in the model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrandAveragedPredictionsAreStrandSymmetricAndInOriginalUnits()
    {
        var model = new CondPromoter(TrainingFixture.TinyModel(), new Generator(5));
        var x = TrainingFixture.Dataset.GetBatch([0, 1, 2, 3, 4]).Sequences;
        var rc = ReverseComplement.OfOneHot(x);
        var scaler = new TargetScaler(TrainingFixture.Dataset.Treatments, [1, 2, 3], [10, 10, 10]);
        var averaged = new EvaluationSettings { Scaler = scaler };
        Assert.Equal(Evaluation.Predict(model, x, averaged).Data, Evaluation.Predict(model, rc, averaged).Data);
        var single = averaged with { ReverseComplementAveraging = false };
        Assert.NotEqual(Evaluation.Predict(model, x, single).Data, Evaluation.Predict(model, rc, single).Data);

        model.Eval();
        var raw = model.Forward(x);
        var original = Evaluation.Predict(model, x, single);
        Assert.Equal(raw[2, 1] * 10 + 2, original[2, 1], 4);
        Assert.True(model.IsTraining == false);
    }

    [Fact]
    public void ClassificationTrainsWithCrossEntropyAndReportsAurocAndAupr()
    {
        using var dir = new TempDirectory();
        var model = new CondPromoter(TrainingFixture.TinyModel(outputs: 3), new Generator(6));
        var options = Quick with { Task = TaskKind.Classification, SelectionMetric = SelectionMetric.MeanAuroc, DownThreshold = -0.5f, UpThreshold = 0.5f, OutputDirectory = dir.Path };
        var trainer = new Trainer(options);
        var result = trainer.Fit(model, TrainingFixture.Dataset, TrainingFixture.Split);
        Assert.All(result.History, h => Assert.InRange(h.ValidationAuroc, 0, 1));
        Assert.All(result.History, h => Assert.InRange(h.ValidationAupr, 0, 1));
        Assert.Contains("val_mean_auroc\tval_mean_aupr", File.ReadLines(Path.Combine(dir.Path, Trainer.MetricsFileName)).First(), StringComparison.Ordinal);
        var evaluation = trainer.Evaluate(model, TrainingFixture.Dataset, TrainingFixture.Split.Test);
        Assert.Equal(new Shape(TrainingFixture.Split.Test.Length, 3, 3), evaluation.Probabilities!.Shape);
        Assert.All(evaluation.Predictions.Data, p => Assert.InRange(p, -1f, 1f));
        Assert.Equal(TaskKind.Classification, TrainingCheckpoint.ReadInfo(Path.Combine(dir.Path, Trainer.BestFileName)).Task);

        var wrong = Assert.Throws<ArgumentException>(() => new Trainer(Quick).Fit(model, TrainingFixture.Dataset, TrainingFixture.Split));
        Assert.Contains("OutputsPerTreatment", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEnsembleAveragesItsMembersPredictionsAndRescoresThem()
    {
        int[] rows = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var a = Evaluation.Evaluate(new CondPromoter(TrainingFixture.TinyModel(), new Generator(7)), TrainingFixture.Dataset, rows);
        var b = Evaluation.Evaluate(new CondPromoter(TrainingFixture.TinyModel(), new Generator(8)), TrainingFixture.Dataset, rows);

        var single = Evaluation.Ensemble([a], TrainingFixture.Dataset);
        var pair = Evaluation.Ensemble([a, b], TrainingFixture.Dataset);

        Assert.Equal(a.Predictions.ToArray(), single.Predictions.ToArray());
        Assert.Equal(a.Metrics.MeanPearson, single.Metrics.MeanPearson, 12);
        for (int i = 0; i < pair.Predictions.Size; i++)
        {
            Assert.Equal(0.5f * (a.Predictions.Data[i] + b.Predictions.Data[i]), pair.Predictions.Data[i], 6);
        }
        var targets = TrainingFixture.Dataset.Subset(rows);
        var expected = Metrics.PerTreatment(pair.Predictions.Data, targets.Targets.Data, targets.Mask.Data, TrainingFixture.Dataset.Treatments);
        Assert.Equal(expected.MeanPearson, pair.Metrics.MeanPearson, 12);
        var other = Evaluation.Evaluate(new CondPromoter(TrainingFixture.TinyModel(), new Generator(9)), TrainingFixture.Dataset, [1, 2, 3]);
        Assert.Throws<ArgumentException>(() => Evaluation.Ensemble([a, other], TrainingFixture.Dataset));
        Assert.Throws<ArgumentException>(() => Evaluation.Ensemble([], TrainingFixture.Dataset));
    }

    [Fact]
    public void PredictionsAreWrittenAsAGeneByTreatmentTable()
    {
        using var dir = new TempDirectory();
        var model = new CondPromoter(TrainingFixture.TinyModel(), new Generator(7));
        var evaluation = Evaluation.Evaluate(model, TrainingFixture.Dataset, [5, 6, 7]);
        string path = Path.Combine(dir.Path, "predictions.tsv");
        PredictionWriter.Write(path, evaluation);
        var lines = File.ReadAllLines(path);
        Assert.Equal("gene\theat\tperoxide\tstarvation", lines[0]);
        Assert.Equal(4, lines.Length);
        var fields = lines[2].Split('\t');
        Assert.Equal(TrainingFixture.Dataset.GeneIds[6], fields[0]);
        Assert.Equal(evaluation.Predictions[1, 2], float.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("Epochs")]
    [InlineData("LearningRate")]
    [InlineData("WarmupFraction")]
    [InlineData("GradientClipNorm")]
    [InlineData("DownThreshold")]
    [InlineData("SelectionMetric")]
    [InlineData("Resume")]
    [InlineData("WeightAverageDecay")]
    public void InvalidOptionsAreRejectedByName(string name)
    {
        var options = name switch
        {
            "Epochs" => new TrainerOptions { Epochs = 0 },
            "LearningRate" => new TrainerOptions { LearningRate = double.NaN },
            "WarmupFraction" => new TrainerOptions { WarmupFraction = 1.5 },
            "GradientClipNorm" => new TrainerOptions { GradientClipNorm = -1f },
            "DownThreshold" => new TrainerOptions { DownThreshold = 1f, UpThreshold = 0.5f },
            "SelectionMetric" => new TrainerOptions { SelectionMetric = SelectionMetric.MeanAuroc },
            "WeightAverageDecay" => new TrainerOptions { WeightAverageDecay = 1.0 },
            _ => new TrainerOptions { Resume = true },
        };
        var e = Assert.Throws<ArgumentException>(() => new Trainer(options));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    private sealed class Reporter : ITrainingProgress
    {
        public Action<TrainingStart>? OnStart { get; init; }

        public Action<StepProgress>? OnStep { get; init; }

        public Action<EpochSummary>? OnEpoch { get; init; }

        public void Started(TrainingStart start) => OnStart?.Invoke(start);

        public void Step(StepProgress step) => OnStep?.Invoke(step);

        public void EpochCompleted(EpochSummary summary) => OnEpoch?.Invoke(summary);
    }

    /// <summary>A minimal other model kind: mean base composition × weights.</summary>
    private sealed class MeanModel : Promptor.Nn.Module, IPromoterModel
    {
        private readonly Promptor.Nn.Parameter weight;

        public MeanModel(int treatments)
        {
            TreatmentCount = treatments;
            weight = RegisterParameter("weight", new Promptor.Nn.Parameter(new Shape(4, treatments)));
        }

        public int TreatmentCount { get; }

        public int OutputsPerTreatment => 1;

        public Tensor Forward(Tensor sequences) => sequences.Mean(1).MatMul(weight);
    }
}
