using System.CommandLine;
using System.Globalization;
using System.Text;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models.Seq2Seq;
using Promptor.Nn.Positional;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor seq2seq train</c>: an encoder–decoder transformer learns DNA coding sequence →
/// protein on windows cut from a genome and its ORF annotation, evaluated on held-out genes
/// (greedy residue accuracy, cross-attention alignment to codons, an SVG alignment map).
/// <c>promptor seq2seq translate</c>: translates DNA with a trained checkpoint (greedy or beam search).
/// </summary>
public static class Seq2SeqCommand
{
    /// <summary>Metadata key of the training window length in codons.</summary>
    public const string CodonsKey = "task.codons";

    /// <summary>Builds <c>seq2seq</c> with its <c>train</c> and <c>translate</c> sub-commands.</summary>
    public static Command Create()
    {
        var command = new Command("seq2seq", "Encoder–decoder transformer: DNA coding sequence → protein.");
        command.Subcommands.Add(CreateTrain());
        command.Subcommands.Add(CreateTranslate());
        return command;
    }

    private static Command CreateTrain()
    {
        var genome = new Option<string>("--genome") { Description = "Genome FASTA, plain, gzip or bgzip", Required = true };
        var orfs = new Option<string>("--orfs") { Description = "BED6 of ORFs, start codon … stop codon, with strand", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (created; must be empty or absent unless --force)", Required = true };
        var codons = new Option<int>("--codons") { Description = "Codons per window", DefaultValueFactory = _ => 30 };
        var genes = new Option<int>("--genes") { Description = "Use at most this many genes (0: all)", DefaultValueFactory = _ => 0 };
        var trainWindows = new Option<int>("--train-windows") { Description = "Use at most this many training windows (0: all)", DefaultValueFactory = _ => 0 };
        var testWindows = new Option<int>("--test-windows") { Description = "Score at most this many held-out windows (0: all)", DefaultValueFactory = _ => 1000 };
        var heldOut = new Option<double>("--held-out") { Description = "Fraction of genes for validation and for test (each)", DefaultValueFactory = _ => 0.1 };
        var dim = new Option<int>("--dim") { Description = "Model width d", DefaultValueFactory = _ => 64 };
        var heads = new Option<int>("--heads") { Description = "Attention heads", DefaultValueFactory = _ => 4 };
        var layers = new Option<int>("--layers") { Description = "Encoder and decoder layers (each)", DefaultValueFactory = _ => 2 };
        var dropout = new Option<float>("--dropout") { Description = "Dropout", DefaultValueFactory = _ => 0.1f };
        var positions = new Option<string>("--positions") { Description = "Positional encoding: sinusoidal or learned", DefaultValueFactory = _ => "sinusoidal" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size") { Description = "Windows per step", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Stop training after this many minutes (0: no limit)", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (initialisation, split, shuffling)", DefaultValueFactory = _ => 0 };
        var force = new Option<bool>("--force") { Description = "Overwrite the files of an existing output folder" };
        var command = new Command("train", "Train DNA → protein on genes of a genome; score held-out genes.")
        {
            genome, orfs, output, codons, genes, trainWindows, testWindows, heldOut, dim, heads, layers, dropout, positions,
            epochs, batchSize, lr, maxMinutes, seed, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            int windowCodons = Positive(parse.GetValue(codons), "--codons");
            double fraction = parse.GetValue(heldOut);
            if (!(fraction > 0 && fraction < 0.5))
            {
                throw new CommandException($"--held-out must lie in (0, 0.5), got {fraction}");
            }
            var positionKind = parse.GetValue(positions) switch
            {
                "sinusoidal" => PositionalEncodingKind.Sinusoidal,
                "learned" => PositionalEncodingKind.Learned,
                var other => throw new CommandException($"--positions must be sinusoidal or learned, got '{other}'"),
            };
            double minutes = parse.GetValue(maxMinutes);
            if (!(minutes >= 0))
            {
                throw new CommandException($"--max-minutes must be ≥ 0, got {minutes}");
            }
            ulong seedValue = parse.GetValue(seed);
            using var run = LmRunFolder.Create(parse.GetValue(output)!, parse.GetValue(force));

            var all = TranslationTask.LoadGenes(parse.GetValue(genome)!, parse.GetValue(orfs)!);
            if (parse.GetValue(genes) is > 0 and var maxGenes && all.Count > maxGenes)
            {
                var shuffled = all.OrderBy(g => g.Gene, StringComparer.Ordinal).ToArray();
                new Generator(seedValue + 1).Shuffle(shuffled.AsSpan());
                all = shuffled[..maxGenes];
            }
            var (trainGenes, validationGenes, testGenes) = TranslationExample.SplitGenes(all, fraction, fraction, seedValue);
            if (trainGenes.Count == 0 || validationGenes.Count == 0 || testGenes.Count == 0)
            {
                throw new CommandException($"{parse.GetValue(orfs)}: {all.Count} clean coding sequence(s) are too few for training, validation and test genes");
            }
            var trainExamples = Cap(TranslationExample.Windows(trainGenes, windowCodons), parse.GetValue(trainWindows), seedValue + 2);
            var validationExamples = Cap(TranslationExample.Windows(validationGenes, windowCodons), 500, seedValue + 3);
            var testExamples = Cap(TranslationExample.Windows(testGenes, windowCodons), parse.GetValue(testWindows), seedValue + 4);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{all.Count:N0} clean genes: {trainGenes.Count:N0} train ({trainExamples.Count:N0} windows), {validationGenes.Count:N0} validation, {testGenes.Count:N0} test ({testExamples.Count:N0} windows scored); windows of {windowCodons} codons"));

            var options = new Seq2SeqOptions
            {
                SourceVocabSize = TranslationTask.SourceTokenizer.VocabularySize,
                TargetVocabSize = TranslationTask.TargetTokenizer.VocabularySize,
                MaxSourceLength = 3 * windowCodons,
                MaxTargetLength = windowCodons + 1,
                ModelDim = Positive(parse.GetValue(dim), "--dim"),
                Heads = Positive(parse.GetValue(heads), "--heads"),
                EncoderLayers = Positive(parse.GetValue(layers), "--layers"),
                DecoderLayers = parse.GetValue(layers),
                Dropout = parse.GetValue(dropout),
                Positions = positionKind,
            };
            var model = new Seq2SeqTransformer(options, new Generator(seedValue));
            var metadata = Seq2SeqCheckpoint.TokenizerMetadata(TranslationTask.SourceTokenizer, TranslationTask.TargetTokenizer);
            metadata[CodonsKey] = windowCodons.ToString(CultureInfo.InvariantCulture);
            var metrics = new StringBuilder("epoch\ttrain_nats_per_token\tvalidation_nats_per_token\tvalidation_token_accuracy\tlearning_rate\tseconds\n");
            var trainer = new Seq2SeqTrainer(new Seq2SeqTrainerOptions
            {
                Epochs = Positive(parse.GetValue(epochs), "--epochs"),
                BatchSize = Positive(parse.GetValue(batchSize), "--batch-size"),
                LearningRate = parse.GetValue(lr),
                MaxSeconds = minutes > 0 ? minutes * 60 : null,
                Seed = seedValue,
                CheckpointPath = run.File("model.safetensors"),
            })
            {
                EpochCompleted = e =>
                {
                    var v = e.Validation!.Value;
                    metrics.Append(CultureInfo.InvariantCulture, $"{e.Epoch}\t{LmRunFolder.Format(e.TrainNatsPerToken)}\t{LmRunFolder.Format(v.NatsPerToken)}\t{LmRunFolder.Format(v.Accuracy)}\t{LmRunFolder.Format(e.LearningRate)}\t{e.Seconds:0.0}\n");
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {e.Epoch}: train {e.TrainNatsPerToken:0.0000} nats/token, validation {v.NatsPerToken:0.0000} nats/token, token accuracy {v.Accuracy:P2} ({e.Seconds:0} s)"));
                },
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = trainer.Train(model, TranslationTask.Encode(trainExamples), TranslationTask.Encode(validationExamples), metadata);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            model.Eval();
            var score = TranslationTask.Evaluate(model, testExamples);
            var alignment = TranslationTask.Alignment(model, testExamples);
            int bestLayer = Enumerable.Range(0, alignment.HeadMean.Count).MaxBy(l => alignment.HeadMean[l]);
            var example = testExamples[0];
            var maps = CodonAlignment.Maps(model, TranslationTask.SourceTokenizer.Encode(example.Dna), TranslationTask.TargetTokenizer.Encode(example.Protein));
            CodonAlignment.Draw(CodonAlignment.HeadMean(maps[bestLayer]), example.Protein.Length,
                $"{example.Gene} codons {example.Start + 1}–{example.Start + example.Protein.Length}: decoder layer {bestLayer + 1} cross-attention (mean of heads)")
                .Save(run.File("alignment.svg"));
            System.IO.File.WriteAllText(run.File("metrics.tsv"), metrics.ToString());
            run.WriteJson("summary.json", new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["genes_train"] = trainGenes.Count,
                ["genes_validation"] = validationGenes.Count,
                ["genes_test"] = testGenes.Count,
                ["windows_train"] = trainExamples.Count,
                ["windows_test"] = testExamples.Count,
                ["codons_per_window"] = windowCodons,
                ["parameters"] = model.Parameters().Sum(p => (long)p.Size),
                ["epochs_run"] = result.History.Count,
                ["best_epoch"] = result.BestEpoch,
                ["steps"] = result.Steps,
                ["stopped_by_time_budget"] = result.StoppedByBudget,
                ["train_seconds"] = Math.Round(trainSeconds, 1),
                ["test_residue_accuracy"] = score.ResidueAccuracy,
                ["test_window_accuracy"] = score.WindowAccuracy,
                ["test_residues"] = score.Residues,
                ["alignment_inside_codon_by_layer"] = alignment.HeadMean,
                ["alignment_inside_codon_by_layer_and_head"] = alignment.PerHead,
                ["alignment_inside_codon_best_layer"] = alignment.BestLayerFraction,
                ["alignment_inside_codon_best_head"] = alignment.BestHeadFraction,
                ["options"] = System.Text.Json.JsonDocument.Parse(options.ToJson()).RootElement,
            });
            run.Commit();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"held-out genes: residue accuracy {score.ResidueAccuracy:P2} ({score.CorrectResidues:N0}/{score.Residues:N0}), windows exact {score.WindowAccuracy:P2}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cross-attention inside the own codon: {string.Join(", ", alignment.HeadMean.Select((f, l) => $"layer {l + 1} {f:P2}"))} (head mean); best head {alignment.BestHeadFraction:P2}"));
            stdout.WriteLine($"wrote model.safetensors, metrics.tsv, summary.json, alignment.svg to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }

    private static Command CreateTranslate()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "model.safetensors written by seq2seq train", Required = true };
        var input = new Option<string>("--input") { Description = "FASTA of coding DNA (whole codons, plain or gzip)", Required = true };
        var output = new Option<string?>("--out") { Description = "Output protein FASTA (default: standard output)" };
        var beam = new Option<int>("--beam") { Description = "Beam width (1: greedy)", DefaultValueFactory = _ => 1 };
        var lengthPenalty = new Option<double>("--length-penalty") { Description = "α of the beam score log p / length^α", DefaultValueFactory = _ => 1.0 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };
        var command = new Command("translate", "Translate coding DNA to protein with a trained seq2seq checkpoint.")
        {
            checkpoint, input, output, beam, lengthPenalty, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            int width = Positive(parse.GetValue(beam), "--beam");
            double alpha = parse.GetValue(lengthPenalty);
            if (!(alpha >= 0 && double.IsFinite(alpha)))
            {
                throw new CommandException($"--length-penalty must be finite and ≥ 0, got {alpha}");
            }
            string? outPath = parse.GetValue(output);
            if (outPath is not null)
            {
                CommandErrors.CheckOutputFile(outPath, parse.GetValue(force));
            }
            string checkpointPath = parse.GetValue(checkpoint)!;
            var (model, sourceTokenizer, targetTokenizer, metadata) = LoadCheckpoint(checkpointPath);
            int windowCodons = metadata.TryGetValue(CodonsKey, out var c) && int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0
                ? parsed : model.Options.MaxSourceLength / 3;
            string inputPath = parse.GetValue(input)!;
            var records = FastaReader.Read(inputPath);
            var proteins = new List<FastaRecord>(records.Count);
            foreach (var record in records)
            {
                if (record.Length % 3 != 0)
                {
                    throw new CommandException($"{inputPath}: record '{record.Id}' has {record.Length} bases, not a whole number of codons");
                }
                int[] ids;
                try
                {
                    ids = sourceTokenizer.Encode(record.Sequence);
                }
                catch (FormatException e)
                {
                    throw new CommandException($"{inputPath}: record '{record.Id}': {e.Message}");
                }
                var protein = new StringBuilder();
                for (int start = 0; start < ids.Length; start += 3 * windowCodons)
                {
                    var window = ids[start..Math.Min(ids.Length, start + 3 * windowCodons)];
                    int limit = window.Length / 3 + 1;
                    var best = width == 1
                        ? Seq2SeqDecoder.Greedy(model, window, limit)
                        : Seq2SeqDecoder.BeamSearch(model, window, width, alpha, limit)[0];
                    protein.Append(targetTokenizer.Decode(best.Tokens));
                }
                proteins.Add(new FastaRecord(record.Id, record.Description, protein.ToString()));
            }
            var text = new StringBuilder();
            foreach (var p in proteins)
            {
                text.Append('>').Append(p.Id).Append('\n').Append(p.Sequence).Append('\n');
            }
            if (outPath is null)
            {
                stdout.Write(text.ToString());
            }
            else
            {
                Promptor.Nn.Serialization.AtomicFile.WriteAllText(outPath, text.ToString());
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"translated {proteins.Count:N0} sequence(s); wrote {outPath}"));
            }
            return 0;
        });
        return command;
    }

    private static (Seq2SeqTransformer, Promptor.Genomics.Tokenization.ITokenizer, Promptor.Genomics.Tokenization.ITokenizer, IReadOnlyDictionary<string, string>) LoadCheckpoint(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new CommandException($"{path}: no such checkpoint");
        }
        try
        {
            return Seq2SeqCheckpoint.Load(path);
        }
        catch (FormatException e)
        {
            throw new CommandException($"{path}: {e.Message}");
        }
        catch (Promptor.Nn.StateDictMismatchException e)
        {
            throw new CommandException($"{path}: {e.Message}");
        }
    }

    private static IReadOnlyList<TranslationExample> Cap(IReadOnlyList<TranslationExample> examples, int max, ulong seed)
    {
        if (max <= 0 || examples.Count <= max)
        {
            return examples;
        }
        var shuffled = examples.ToArray();
        new Generator(seed).Shuffle(shuffled.AsSpan());
        return shuffled[..max];
    }

    internal static int Positive(int value, string flag) =>
        value > 0 ? value : throw new CommandException($"{flag} must be positive, got {value}");
}
