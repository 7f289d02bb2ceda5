using System.CommandLine;
using System.Globalization;
using System.Text;
using Promptor.Genomics.Chemistry;
using Promptor.Genomics.Generative;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models.Gpt;
using Promptor.Genomics.Tokenization;
using Promptor.Nn.Positional;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor lm train</c>: trains a GPT language model on DNA (FASTA, cut into windows of the
/// context length) or SMILES (CSV with a <c>smiles</c> column, or one per line), with a held-out
/// validation split, and writes the checkpoint (vocabulary and options in its metadata), the
/// vocabulary, per-epoch metrics and a summary. For DNA it also fits k-mer Markov baselines and
/// compares generated sequences' 6-mer spectra with held-out ones; for SMILES it scores sampled
/// molecules for validity, uniqueness and novelty.
/// </summary>
public static class LmCommand
{
    /// <summary>Metadata key of the data kind, <c>dna</c> or <c>smiles</c>.</summary>
    public const string KindKey = "lm.kind";

    /// <summary>Metadata key of a conditional model's class names (a JSON array, index = label).</summary>
    public const string ClassNamesKey = "lm.class_names";

    /// <summary>Metadata key of the training-set augmentation (<c>randomized</c>); absent without augmentation.</summary>
    public const string AugmentationKey = "lm.augmentation";

    /// <summary>
    /// Randomized spellings of every molecule added to the corpus the SMILES vocabulary is built from
    /// under <c>--augment randomized</c>, so that tokens seen only in randomized forms are known.
    /// </summary>
    public const int AugmentationVocabularyPasses = 10;

    /// <summary>File of the training molecules written beside a SMILES checkpoint (novelty reference).</summary>
    public const string TrainingSmilesFile = "train.smi";

    /// <summary>
    /// Tokens a sample may not contain: padding, begin-of-sequence and the unknown token (the end
    /// token ends a sample and stays allowed).
    /// </summary>
    internal static int[] NeverSampled(ITokenizer tokenizer) =>
        tokenizer.UnknownId is { } unknown ? [tokenizer.PadId, tokenizer.BeginId, unknown] : [tokenizer.PadId, tokenizer.BeginId];

    /// <summary>Builds <c>lm</c> with its <c>train</c> sub-command.</summary>
    public static Command Create()
    {
        var command = new Command("lm", "Transformer language models (GPT) over DNA or SMILES.");
        command.Subcommands.Add(CreateTrain());
        return command;
    }

    private static Command CreateTrain()
    {
        var input = new Option<string?>("--input") { Description = "Training data: DNA FASTA, or SMILES (CSV with a 'smiles' column, or one per line)" };
        var classes = new Option<string[]>("--class") { Description = "Labelled training data NAME=PATH, once per class (instead of --input): trains a label-conditioned model" };
        var conditioning = new Option<string>("--conditioning") { Description = "How a label conditions the model: prefix, cross or both (with --class)", DefaultValueFactory = _ => "prefix" };
        var labelDropout = new Option<float>("--label-dropout") { Description = "Probability of training on the null label, for classifier-free guidance (with --class)", DefaultValueFactory = _ => 0.1f };
        var tokenizer = new Option<string>("--tokenizer") { Description = "dna, kmer or smiles", Required = true };
        var k = new Option<int>("--k") { Description = "k of the k-mer tokenizer (non-overlapping k-mers)", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var context = new Option<int>("--context") { Description = "Context length in tokens (DNA windows fill it)", DefaultValueFactory = _ => 128 };
        var dim = new Option<int>("--dim") { Description = "Model width d", DefaultValueFactory = _ => 128 };
        var heads = new Option<int>("--heads") { Description = "Attention heads", DefaultValueFactory = _ => 4 };
        var blocks = new Option<int>("--blocks") { Description = "Transformer blocks", DefaultValueFactory = _ => 4 };
        var dropout = new Option<float>("--dropout") { Description = "Dropout", DefaultValueFactory = _ => 0.1f };
        var positions = new Option<string>("--positions") { Description = "learned, sinusoidal or relative", DefaultValueFactory = _ => "learned" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per step", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 };
        var validation = new Option<double>("--validation") { Description = "Fraction of records held out for validation", DefaultValueFactory = _ => 0.1 };
        var maxRecords = new Option<int>("--max-records") { Description = "Use at most this many records (0: all)", DefaultValueFactory = _ => 0 };
        var samples = new Option<int>("--samples") { Description = "Sequences sampled after training for the generation metrics", DefaultValueFactory = _ => 200 };
        var patience = new Option<int>("--patience")
        {
            Description = "Stop after this many epochs without a better validation loss (0: never stop early; useful with --augment, whose validation spellings differ from the training ones)",
            DefaultValueFactory = _ => 5,
        };
        var keep = new Option<string>("--keep")
        {
            Description = "Which weights the run keeps and samples from: best (the best validation epoch's) or last (the final epoch's)",
            DefaultValueFactory = _ => "best",
        };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Stop training after this many minutes (0: no limit)", DefaultValueFactory = _ => 0 };
        var init = new Option<string?>("--init") { Description = "Start from the weights of this lm train checkpoint (same data, tokenizer and model flags; --dropout may differ)" };
        var augment = new Option<string>("--augment") { Description = "Training-set augmentation: none, or randomized (a fresh random SMILES of each training molecule every epoch; --tokenizer smiles only)", DefaultValueFactory = _ => "none" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of an existing output folder" };
        var command = new Command("train", "Train a GPT language model on DNA or SMILES.")
        {
            input, classes, conditioning, labelDropout, tokenizer, k, output, context, dim, heads, blocks, dropout, positions, epochs, batchSize, lr, validation, maxRecords, samples, maxMinutes, patience, keep, init, augment, seed, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string kind = parse.GetValue(tokenizer)!;
            if (kind is not ("dna" or "kmer" or "smiles"))
            {
                throw new CommandException($"--tokenizer must be dna, kmer or smiles, got '{kind}'");
            }
            string augmentation = parse.GetValue(augment)!;
            if (augmentation is not ("none" or "randomized"))
            {
                throw new CommandException($"--augment must be none or randomized, got '{augmentation}'");
            }
            bool randomize = augmentation == "randomized";
            if (randomize && kind != "smiles")
            {
                throw new CommandException($"--augment randomized needs --tokenizer smiles, got --tokenizer {kind}");
            }
            int contextLength = Seq2SeqCommand.Positive(parse.GetValue(context), "--context");
            double heldOut = parse.GetValue(validation);
            if (!(heldOut > 0 && heldOut < 1))
            {
                throw new CommandException($"--validation must lie in (0, 1), got {heldOut}");
            }
            var positionKind = parse.GetValue(positions) switch
            {
                "learned" => PositionalEncodingKind.Learned,
                "sinusoidal" => PositionalEncodingKind.Sinusoidal,
                "relative" => PositionalEncodingKind.Relative,
                var other => throw new CommandException($"--positions must be learned, sinusoidal or relative, got '{other}'"),
            };
            int sampleCount = parse.GetValue(samples);
            if (sampleCount < 0)
            {
                throw new CommandException($"--samples must be ≥ 0, got {sampleCount}");
            }
            double minutes = parse.GetValue(maxMinutes);
            bool keepLast = parse.GetValue(keep) switch
            {
                "best" => false,
                "last" => true,
                var other => throw new CommandException($"--keep must be best or last, got '{other}'"),
            };
            int? patienceEpochs = parse.GetValue(patience) switch
            {
                0 => null,
                > 0 and var p => p,
                var p => throw new CommandException($"--patience must be 0 or positive, got {p}"),
            };
            if (!(minutes >= 0))
            {
                throw new CommandException($"--max-minutes must be ≥ 0, got {minutes}");
            }
            ulong seedValue = parse.GetValue(seed);
            var inputs = Inputs(parse.GetValue(input), parse.GetValue(classes) ?? []);
            bool conditional = inputs.Count > 1 || inputs[0].Name is not null;
            var labelConditioning = !conditional ? LabelConditioning.None : parse.GetValue(conditioning) switch
            {
                "prefix" => LabelConditioning.Prefix,
                "cross" => LabelConditioning.CrossAttention,
                "both" => LabelConditioning.PrefixAndCrossAttention,
                var other => throw new CommandException($"--conditioning must be prefix, cross or both, got '{other}'"),
            };
            string inputPath = string.Join(", ", inputs.Select(i => i.Path));
            using var run = LmRunFolder.Create(parse.GetValue(output)!, parse.GetValue(force));

            // Records are split (not windows), so validation DNA windows come from unseen promoters.
            bool isSmiles = kind == "smiles";
            var records = new List<string>();
            var recordLabels = new List<int>();
            for (int c = 0; c < inputs.Count; c++)
            {
                IReadOnlyList<string> read = isSmiles ? SmilesCorpus.Read(inputs[c].Path) : FastaReader.Read(inputs[c].Path).Select(r => r.Sequence).ToArray();
                if (parse.GetValue(maxRecords) is > 0 and var max && read.Count > max)
                {
                    read = read.Take(max).ToArray();
                }
                records.AddRange(read);
                recordLabels.AddRange(Enumerable.Repeat(c, read.Count));
            }
            var order = Enumerable.Range(0, records.Count).ToArray();
            new Generator(seedValue + 1).Shuffle(order.AsSpan());
            int nValidation = (int)Math.Round(records.Count * heldOut);
            if (nValidation == 0 || nValidation == records.Count)
            {
                throw new CommandException($"{inputPath}: {records.Count} record(s) are too few to hold out a validation fraction of {heldOut}");
            }
            var trainRecords = order[nValidation..].Select(i => records[i]).ToArray();
            var validationRecords = order[..nValidation].Select(i => records[i]).ToArray();
            var trainRecordLabels = order[nValidation..].Select(i => recordLabels[i]).ToArray();
            var validationRecordLabels = order[..nValidation].Select(i => recordLabels[i]).ToArray();

            ITokenizer tok = kind switch
            {
                "dna" => new DnaTokenizer(),
                "kmer" => new KmerTokenizer(Seq2SeqCommand.Positive(parse.GetValue(k), "--k"), stride: parse.GetValue(k)),
                // With augmentation the vocabulary also covers tokens that only randomized spellings use.
                _ => SmilesVocabulary(records, randomize, seedValue, parse.GetValue(init)),
            };
            int basesPerToken = tok is KmerTokenizer km ? km.Stride : 1;
            int windowBases = contextLength * basesPerToken;
            IReadOnlyList<string> trainTexts, validationTexts;
            int[] trainLabels, validationLabels;
            int dropped = 0;
            if (isSmiles)
            {
                (trainTexts, trainLabels, int d1) = FitContext(trainRecords, trainRecordLabels, tok, contextLength);
                (validationTexts, validationLabels, int d2) = FitContext(validationRecords, validationRecordLabels, tok, contextLength);
                dropped = d1 + d2;
            }
            else
            {
                (trainTexts, trainLabels) = Windows(trainRecords, trainRecordLabels, windowBases);
                (validationTexts, validationLabels) = Windows(validationRecords, validationRecordLabels, windowBases);
            }
            if (trainTexts.Count == 0 || validationTexts.Count == 0)
            {
                throw new CommandException($"{inputPath}: no training or validation sequence fits the context of {contextLength} tokens");
            }
            // SMILES: <bos> tokens <eos>; DNA windows: <bos> tokens (every target is a base).
            int[] Encode(string text) => isSmiles ? tok.EncodeWithBeginEnd(text) : [tok.BeginId, .. tok.Encode(text)];
            var train = Encoded(trainTexts, Encode, inputPath);
            var valid = Encoded(validationTexts, Encode, inputPath);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{records.Count:N0} records: {trainTexts.Count:N0} training and {validationTexts.Count:N0} validation sequences ({kind} tokenizer, {tok.VocabularySize} tokens{(dropped > 0 ? $", {dropped} records longer than the context left out" : "")})"));

            var options = new GptOptions
            {
                VocabSize = tok.VocabularySize,
                ContextLength = contextLength,
                ModelDim = Seq2SeqCommand.Positive(parse.GetValue(dim), "--dim"),
                Heads = Seq2SeqCommand.Positive(parse.GetValue(heads), "--heads"),
                Blocks = Seq2SeqCommand.Positive(parse.GetValue(blocks), "--blocks"),
                Dropout = parse.GetValue(dropout),
                Positions = positionKind,
                ClassCount = conditional ? inputs.Count : 0,
                Conditioning = labelConditioning,
                LabelDropout = parse.GetValue(labelDropout),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CommandException(e.Message.Replace("LabelDropout", "--label-dropout", StringComparison.Ordinal));
            }
            var model = new Gpt(options, new Generator(seedValue));
            if (parse.GetValue(init) is { } initPath)
            {
                WarmStart(model, tok, initPath);
            }
            var metadata = new Dictionary<string, string>(tok.ToMetadata(), StringComparer.Ordinal) { [KindKey] = isSmiles ? "smiles" : "dna" };
            if (randomize)
            {
                metadata[AugmentationKey] = augmentation;
            }
            var trainingEpochs = randomize
                ? new RandomizedEpochs(new SmilesAugmentation(trainTexts, seedValue + 3), conditional ? trainLabels : null, tok, contextLength)
                : null;
            if (trainingEpochs?.Augmentation.NotRandomizable is > 0 and var invalid)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{invalid} training SMILES are not valid and are used as given every epoch"));
            }
            if (conditional)
            {
                metadata[ClassNamesKey] = System.Text.Json.JsonSerializer.Serialize(inputs.Select(i => i.Name).ToArray());
            }
            var metrics = new StringBuilder("epoch\ttrain_nats_per_token\tvalidation_nats_per_token\tvalidation_bits_per_base\tvalidation_accuracy\tlearning_rate\tseconds\n");
            var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions
            {
                PadId = tok.PadId,
                Epochs = Seq2SeqCommand.Positive(parse.GetValue(epochs), "--epochs"),
                BatchSize = Seq2SeqCommand.Positive(parse.GetValue(batchSize), "--batch-size"),
                LearningRate = parse.GetValue(lr),
                Seed = seedValue,
                MaxSeconds = minutes > 0 ? minutes * 60 : null,
                Patience = patienceEpochs,
                RestoreBest = !keepLast,
                CheckpointPath = run.File("model.safetensors"),
            })
            {
                EpochCompleted = e =>
                {
                    var v = e.Validation!.Value;
                    metrics.Append(CultureInfo.InvariantCulture,
                        $"{e.Epoch}\t{LmRunFolder.Format(e.TrainNatsPerToken)}\t{LmRunFolder.Format(v.NatsPerToken)}\t{LmRunFolder.Format(v.BitsPerToken / basesPerToken)}\t{LmRunFolder.Format(v.Accuracy)}\t{LmRunFolder.Format(e.LearningRate)}\t{e.Seconds:0.0}\n");
                    string skipped = trainingEpochs is null ? ""
                        : string.Create(CultureInfo.InvariantCulture, $", {trainingEpochs.Skipped[e.Epoch]} randomized molecules skipped (longer than the context or with a token outside the vocabulary)");
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {e.Epoch}: train {e.TrainNatsPerToken:0.0000} nats/token, validation {v.NatsPerToken:0.0000} nats/token, next-token accuracy {v.Accuracy:P2} ({e.Seconds:0} s){skipped}"));
                },
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = trainingEpochs is null
                ? trainer.Train(model, train, valid, conditional ? trainLabels : null, conditional ? validationLabels : null, metadata)
                : trainer.Train(model, trainingEpochs.Epoch, valid, conditional ? validationLabels : null, metadata);
            double seconds = clock.Elapsed.TotalSeconds;
            // The validation figures of the weights kept: the best epoch's, or the last epoch's with --keep last.
            var best = keepLast ? result.History[^1].Validation!.Value : result.BestValidation!.Value;
            int keptEpoch = keepLast ? result.History[^1].Epoch : result.BestEpoch;
            var summary = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["kind"] = kind,
                ["initialised_from"] = parse.GetValue(init) ?? "",
                ["augmentation"] = augmentation,
                ["records"] = records.Count,
                ["train_sequences"] = trainTexts.Count,
                ["validation_sequences"] = validationTexts.Count,
                ["vocabulary_size"] = tok.VocabularySize,
                ["parameters"] = model.Parameters().Sum(p => (long)p.Size),
                ["epochs_run"] = result.History.Count,
                ["stopped_early"] = result.StoppedEarly,
                ["best_epoch"] = result.BestEpoch,
                ["kept_epoch"] = keptEpoch,
                ["train_seconds"] = Math.Round(seconds, 1),
                ["validation_nats_per_token"] = best.NatsPerToken,
                ["validation_bits_per_token"] = best.BitsPerToken,
                ["validation_reconstruction_accuracy"] = best.Accuracy,
                ["options"] = System.Text.Json.JsonDocument.Parse(options.ToJson()).RootElement,
            };
            if (trainingEpochs is not null)
            {
                summary["augmentation_vocabulary_passes"] = AugmentationVocabularyPasses;
                summary["augmentation_not_randomizable"] = trainingEpochs.Augmentation.NotRandomizable;
                summary["augmentation_skipped_by_epoch"] = trainingEpochs.Skipped.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray();
            }
            model.Eval();
            var sampler = new GptSampler(model, new SamplingOptions { MaxNewTokens = contextLength - 1, EndToken = isSmiles ? tok.EndId : null, SuppressedTokens = NeverSampled(tok) });
            var samplesGenerated = sampleCount == 0 ? [] : GenerateCommand.Sample(sampler, tok, sampleCount, new Generator(seedValue + 7), null);
            if (isSmiles)
            {
                System.IO.File.WriteAllText(run.File(TrainingSmilesFile), string.Join('\n', trainTexts) + "\n");
                if (sampleCount > 0)
                {
                    var m = MoleculeMetrics.Compute(samplesGenerated, trainTexts);
                    summary["samples"] = m.Count;
                    summary["samples_valid_fraction"] = m.ValidFraction;
                    summary["samples_unique_fraction_of_valid"] = m.UniqueFraction;
                    summary["samples_novel_fraction_of_unique"] = m.NovelFraction;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{m.Count} samples: valid {m.ValidFraction:P2}, unique {m.UniqueFraction:P2} of valid, novel {m.NovelFraction:P2} of unique"));
                }
            }
            else
            {
                summary["validation_bits_per_base"] = best.BitsPerToken / basesPerToken;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"validation: {best.BitsPerToken / basesPerToken:0.0000} bits/base (GPT)"));
                var markov = new SortedDictionary<string, double>(StringComparer.Ordinal);
                KmerMarkovModel? bestMarkov = null;
                double bestBits = double.PositiveInfinity;
                for (int order2 = 0; order2 <= 8; order2++)
                {
                    var chain = KmerMarkovModel.Fit(trainTexts, order2);
                    double bits = chain.BitsPerBase(validationTexts);
                    markov[order2.ToString(CultureInfo.InvariantCulture)] = bits;
                    if (bits < bestBits)
                    {
                        bestBits = bits;
                        bestMarkov = chain;
                    }
                }
                summary["markov_validation_bits_per_base_by_order"] = markov;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"validation: {bestBits:0.0000} bits/base (best k-mer Markov chain, order {bestMarkov!.Order}); orders 0–8: {string.Join(" ", markov.Values.Select(b => b.ToString("0.0000", CultureInfo.InvariantCulture)))}"));
                if (sampleCount > 0)
                {
                    var reference = KmerSpectrum.Frequencies(validationTexts);
                    var generator = new Generator(seedValue + 11);
                    var markovSamples = samplesGenerated.Select(s => bestMarkov.Sample(s.Length, generator)).ToArray();
                    var realSamples = trainTexts.Take(sampleCount).ToArray();
                    double gpt = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(samplesGenerated), reference);
                    double chainDistance = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(markovSamples), reference);
                    double floor = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(realSamples), reference);
                    summary["samples"] = samplesGenerated.Length;
                    summary["sixmer_tv_distance_gpt_samples"] = gpt;
                    summary["sixmer_tv_distance_markov_samples"] = chainDistance;
                    summary["sixmer_tv_distance_real_training_windows"] = floor;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"6-mer spectrum total-variation distance to validation windows ({sampleCount} sequences each): GPT samples {gpt:0.0000}, Markov samples {chainDistance:0.0000}, real training windows {floor:0.0000}"));
                }
            }
            if (sampleCount > 0)
            {
                System.IO.File.WriteAllText(run.File("samples.txt"), string.Join('\n', samplesGenerated) + "\n");
            }
            if (conditional && sampleCount > 0)
            {
                // samples.txt holds the null label's (unconditional) samples; each class gets its own file.
                var perClass = new SortedDictionary<string, object>(StringComparer.Ordinal);
                for (int c = 0; c < inputs.Count; c++)
                {
                    string name = inputs[c].Name!;
                    var classSamples = GenerateCommand.Sample(sampler, tok, sampleCount, new Generator(seedValue + 13 + (ulong)c), c);
                    System.IO.File.WriteAllText(run.File($"samples-{name}.txt"), string.Join('\n', classSamples) + "\n");
                    var entry = new SortedDictionary<string, object>(StringComparer.Ordinal) { ["samples"] = classSamples.Length };
                    if (isSmiles)
                    {
                        var m = MoleculeMetrics.Compute(classSamples, trainTexts.Where((_, i) => trainLabels[i] == c).ToArray());
                        entry["valid_fraction"] = m.ValidFraction;
                        entry["unique_fraction_of_valid"] = m.UniqueFraction;
                        entry["novel_fraction_of_unique"] = m.NovelFraction;
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"class {name}: {m.Count} samples, valid {m.ValidFraction:P2}, unique {m.UniqueFraction:P2} of valid, novel {m.NovelFraction:P2} of unique"));
                    }
                    else
                    {
                        var own = KmerSpectrum.Frequencies(validationTexts.Where((_, i) => validationLabels[i] == c));
                        double toOwn = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(classSamples), own);
                        double unconditionalToOwn = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(samplesGenerated), own);
                        entry["sixmer_tv_distance_to_own_class_validation"] = toOwn;
                        entry["sixmer_tv_distance_unconditional_samples_to_own_class_validation"] = unconditionalToOwn;
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"class {name}: 6-mer distance of its samples to its validation windows {toOwn:0.0000} (unconditional samples {unconditionalToOwn:0.0000})"));
                    }
                    perClass[name] = entry;
                }
                summary["class_samples"] = perClass;
            }
            if (conditional)
            {
                summary["class_names"] = inputs.Select(i => i.Name!).ToArray();
            }
            run.WriteText("vocab.json", System.Text.Json.JsonSerializer.Serialize(tok.Vocabulary) + "\n");
            System.IO.File.WriteAllText(run.File("metrics.tsv"), metrics.ToString());
            run.WriteJson("summary.json", summary);
            run.Commit();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(keepLast ? "last" : "best")} epoch {keptEpoch}: validation {best.NatsPerToken:0.0000} nats/token, reconstruction accuracy {best.Accuracy:P2}; wrote model.safetensors, vocab.json, metrics.tsv, summary.json to {parse.GetValue(output)}"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The SMILES tokenizer: built from the records, and under <c>--augment randomized</c> also from
    /// <see cref="AugmentationVocabularyPasses"/> randomized spellings of each, so tokens seen only in
    /// re-spellings are known. A run that starts from the weights of a run without augmentation
    /// (<c>--init</c>) keeps that run's vocabulary (built from the records alone); randomized spellings
    /// with a token outside it are then skipped.
    /// </summary>
    private static SmilesTokenizer SmilesVocabulary(IReadOnlyList<string> records, bool randomize, ulong seed, string? initPath)
    {
        if (!randomize)
        {
            return SmilesTokenizer.Build(records);
        }
        var covering = SmilesTokenizer.Build(new SmilesAugmentation(records, seed).VocabularyCorpus(AugmentationVocabularyPasses));
        if (initPath is not null && System.IO.File.Exists(initPath))
        {
            var plain = SmilesTokenizer.Build(records);
            string key = TokenizerMetadata.VocabularyKey;
            IReadOnlyDictionary<string, string> metadata;
            try
            {
                metadata = Promptor.Nn.Serialization.SafeTensors.ReadHeader(initPath).Metadata;
            }
            catch (Promptor.Nn.Serialization.SafeTensorsFormatException)
            {
                return covering; // reported when the weights are loaded
            }
            if (metadata.TryGetValue(key, out var vocabulary) && vocabulary != covering.ToMetadata()[key] && vocabulary == plain.ToMetadata()[key])
            {
                return plain;
            }
        }
        return covering;
    }

    /// <summary>Loads the weights of an earlier run into <paramref name="model"/>, which must have the same options and vocabulary.</summary>
    private static void WarmStart(Gpt model, ITokenizer tok, string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new CommandException($"{path}: no such checkpoint");
        }
        var file = Promptor.Nn.Serialization.SafeTensors.Load(path);
        // Dropout rates are training settings, not architecture: a run may continue with other rates
        // (for example without dropout, to sharpen a model at the end of training).
        if (!file.Metadata.TryGetValue("gpt.options", out var json)
            || GptOptions.FromJson(json) with { Dropout = model.Options.Dropout, AttentionDropout = model.Options.AttentionDropout, LabelDropout = model.Options.LabelDropout } != model.Options)
        {
            throw new CommandException($"{path}: its model options differ from the ones given (--context, --dim, --heads, --blocks, --positions)");
        }
        if (!file.Metadata.TryGetValue(TokenizerMetadata.VocabularyKey, out var vocabulary) || vocabulary != tok.ToMetadata()[TokenizerMetadata.VocabularyKey])
        {
            throw new CommandException($"{path}: its vocabulary differs from the one built from --input");
        }
        model.LoadStateDict(file.Tensors);
    }

    /// <summary>
    /// The training inputs: either one unlabelled <c>--input</c> (Name null) or two or more
    /// <c>--class NAME=PATH</c> (label = position), never both.
    /// </summary>
    private static List<(string? Name, string Path)> Inputs(string? input, string[] classes)
    {
        if (input is not null && classes.Length > 0)
        {
            throw new CommandException("give either --input or --class NAME=PATH, not both");
        }
        if (input is not null)
        {
            return [(null, input)];
        }
        if (classes.Length == 0)
        {
            throw new CommandException("training data is missing: give --input PATH, or --class NAME=PATH once per class");
        }
        var result = new List<(string? Name, string Path)>();
        foreach (var entry in classes)
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 ? entry[..eq] : "";
            if (eq <= 0 || eq == entry.Length - 1 || name.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')))
            {
                throw new CommandException($"--class must be NAME=PATH with a name of letters, digits, '-', '_' or '.', got '{entry}'");
            }
            if (result.Any(r => r.Name == name))
            {
                throw new CommandException($"--class {name} is given twice");
            }
            result.Add((name, entry[(eq + 1)..]));
        }
        if (result.Count < 2)
        {
            throw new CommandException($"a conditional model needs at least two --class inputs, got {result.Count}");
        }
        return result;
    }

    /// <summary>DNA records cut into windows of the context, each window keeping its record's label.</summary>
    private static (IReadOnlyList<string> Windows, int[] Labels) Windows(IReadOnlyList<string> records, IReadOnlyList<int> labels, int windowBases)
    {
        var windows = new List<string>();
        var windowLabels = new List<int>();
        for (int i = 0; i < records.Count; i++)
        {
            foreach (var w in SequenceWindows.Cut([records[i]], windowBases))
            {
                windows.Add(w.ToUpperInvariant());
                windowLabels.Add(labels[i]);
            }
        }
        return (windows, [.. windowLabels]);
    }

    private static (IReadOnlyList<string> Kept, int[] Labels, int Dropped) FitContext(IReadOnlyList<string> smiles, IReadOnlyList<int> labels, ITokenizer tok, int contextLength)
    {
        var kept = new List<string>();
        var keptLabels = new List<int>();
        int dropped = 0;
        for (int i = 0; i < smiles.Count; i++)
        {
            // <bos> + tokens + <eos> must fit context + 1 (inputs drop the last, targets the first).
            if (tok.Tokenize(smiles[i]).Count + 2 <= contextLength + 1)
            {
                kept.Add(smiles[i]);
                keptLabels.Add(labels[i]);
            }
            else
            {
                dropped++;
            }
        }
        return (kept, [.. keptLabels], dropped);
    }

    private static int[][] Encoded(IReadOnlyList<string> texts, Func<string, int[]> encode, string path)
    {
        var result = new int[texts.Count][];
        for (int i = 0; i < texts.Count; i++)
        {
            try
            {
                result[i] = encode(texts[i]);
            }
            catch (TokenizationException e)
            {
                throw new CommandException($"{path}: sequence {i + 1} of its split: {e.Message}");
            }
        }
        return result;
    }

    /// <summary>
    /// The training set of each epoch under <c>--augment randomized</c>: a fresh randomized SMILES of
    /// every training molecule, encoded; a spelling longer than the context, or with a token outside the
    /// vocabulary, is skipped for that epoch and counted in <see cref="Skipped"/>.
    /// </summary>
    private sealed class RandomizedEpochs(SmilesAugmentation augmentation, int[]? labels, ITokenizer tok, int contextLength)
    {
        public SmilesAugmentation Augmentation => augmentation;

        /// <summary>Molecules skipped, by epoch.</summary>
        public Dictionary<int, int> Skipped { get; } = [];

        public LanguageModelEpochData Epoch(int epoch)
        {
            var spellings = augmentation.Epoch(epoch);
            var sequences = new List<int[]>(spellings.Length);
            var kept = new List<int>(spellings.Length);
            for (int i = 0; i < spellings.Length; i++)
            {
                int[] ids;
                try
                {
                    ids = tok.EncodeWithBeginEnd(spellings[i]);
                }
                catch (TokenizationException)
                {
                    continue;
                }
                // <bos> + tokens + <eos> must fit context + 1 (inputs drop the last, targets the first).
                if (ids.Length <= contextLength + 1)
                {
                    sequences.Add(ids);
                    kept.Add(i);
                }
            }
            Skipped[epoch] = spellings.Length - sequences.Count;
            return new LanguageModelEpochData(sequences, labels is null ? null : kept.Select(i => labels[i]).ToArray());
        }
    }
}
