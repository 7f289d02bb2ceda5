using System.CommandLine;
using System.Globalization;
using System.Text;
using Promptor.Genomics.Chemistry;
using Promptor.Genomics.Generative;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models.Gpt;
using Promptor.Genomics.Tokenization;
using Promptor.Nn.Serialization;
using Promptor.Tensors;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor generate --checkpoint F -n N</c>: samples N sequences from a GPT checkpoint written
/// by <c>lm train</c> (temperature, top-k, top-p, seed, class label for conditional models). SMILES
/// samples are scored for validity, uniqueness and novelty against the training molecules
/// (<c>train.smi</c> beside the checkpoint, or <c>--training</c>); DNA samples can be compared with
/// real sequences by their 6-mer spectrum (<c>--reference</c>).
/// </summary>
public static class GenerateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "model.safetensors written by lm train", Required = true };
        var count = new Option<int>("-n", "--count") { Description = "Number of sequences to sample", DefaultValueFactory = _ => 10 };
        var temperature = new Option<float>("--temperature") { Description = "Softmax temperature (0: greedy)", DefaultValueFactory = _ => 1f };
        var topK = new Option<int?>("--top-k") { Description = "Keep the k most likely tokens" };
        var topP = new Option<float?>("--top-p") { Description = "Nucleus sampling: keep the most likely tokens up to this probability" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Tokens per sample at most (default: the context length − 1)" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0 };
        var label = new Option<string?>("--label") { Description = "Class of a conditional model: its name (as given to lm train --class) or its index" };
        var guidance = new Option<float?>("--guidance") { Description = "Classifier-free guidance weight (with --label)" };
        var training = new Option<string?>("--training") { Description = "Training SMILES for novelty (default: train.smi beside the checkpoint)" };
        var reference = new Option<string?>("--reference") { Description = "DNA FASTA to compare the samples' 6-mer spectrum with" };
        var output = new Option<string?>("--out") { Description = "Write the samples to this file (default: standard output)" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };
        var command = new Command("generate", "Sample sequences from a trained GPT checkpoint.")
        {
            checkpoint, count, temperature, topK, topP, maxTokens, seed, label, guidance, training, reference, output, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, stderr) =>
        {
            int n = Seq2SeqCommand.Positive(parse.GetValue(count), "-n");
            string? outPath = parse.GetValue(output);
            if (outPath is not null)
            {
                CommandErrors.CheckOutputFile(outPath, parse.GetValue(force));
            }
            string path = parse.GetValue(checkpoint)!;
            var (model, tok, kind, classNames) = Load(path);
            int? labelValue = parse.GetValue(label) is { } labelText ? ResolveLabel(path, labelText, model.Options.ClassCount, classNames) : null;
            int limit = parse.GetValue(maxTokens) ?? model.Options.ContextLength - 1;
            SamplingOptions sampling;
            try
            {
                sampling = new SamplingOptions
                {
                    MaxNewTokens = Seq2SeqCommand.Positive(limit, "--max-tokens"),
                    Temperature = parse.GetValue(temperature),
                    TopK = parse.GetValue(topK),
                    TopP = parse.GetValue(topP),
                    EndToken = tok.EndId,
                    SuppressedTokens = LmCommand.NeverSampled(tok),
                    GuidanceScale = parse.GetValue(guidance),
                };
                sampling.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CommandException(e.Message.Replace("MaxNewTokens", "--max-tokens", StringComparison.Ordinal)
                    .Replace("Temperature", "--temperature", StringComparison.Ordinal).Replace("TopK", "--top-k", StringComparison.Ordinal)
                    .Replace("TopP", "--top-p", StringComparison.Ordinal).Replace("GuidanceScale", "--guidance", StringComparison.Ordinal));
            }
            if (sampling.GuidanceScale is not null && labelValue is null)
            {
                throw new CommandException("--guidance needs --label");
            }
            string? trainingPath = parse.GetValue(training);
            string? referencePath = parse.GetValue(reference);
            IReadOnlyList<string>? trainingSmiles = null;
            if (kind == "smiles")
            {
                trainingPath ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", LmCommand.TrainingSmilesFile);
                trainingSmiles = System.IO.File.Exists(trainingPath) ? SmilesCorpus.Read(trainingPath) : null;
            }
            IReadOnlyList<string>? referenceDna = referencePath is null ? null : FastaReader.Read(referencePath).Select(r => r.Sequence).ToArray();

            var sampler = new GptSampler(model, sampling);
            var labels = labelValue is { } lv ? Enumerable.Repeat(lv, n).ToArray() : null;
            var samples = Sample(sampler, tok, n, new Generator(parse.GetValue(seed)), labelValue);
            var text = new StringBuilder();
            for (int i = 0; i < samples.Length; i++)
            {
                if (kind == "dna")
                {
                    text.Append(CultureInfo.InvariantCulture, $">sample_{i + 1}\n");
                }
                text.Append(samples[i]).Append('\n');
            }
            var report = outPath is null ? stderr : stdout;
            if (outPath is null)
            {
                stdout.Write(text.ToString());
            }
            else
            {
                AtomicFile.WriteAllText(outPath, text.ToString());
                stdout.WriteLine($"wrote {samples.Length} samples to {outPath}");
            }
            if (kind == "smiles")
            {
                var m = MoleculeMetrics.Compute(samples, trainingSmiles);
                report.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Count} samples: valid {m.ValidFraction:P2}, unique {m.UniqueFraction:P2} of valid{(m.HasTraining ? $", novel {m.NovelFraction:P2} of unique" : " (no training molecules for novelty)")}"));
            }
            if (referenceDna is not null)
            {
                double tv = KmerSpectrum.TotalVariation(KmerSpectrum.Frequencies(samples), KmerSpectrum.Frequencies(referenceDna));
                report.WriteLine(string.Create(CultureInfo.InvariantCulture, $"6-mer spectrum total-variation distance to {referencePath}: {tv:0.0000}"));
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Samples <paramref name="count"/> sequences from the begin token, in batches of 256 (bounding
    /// the KV cache), decoded to text.
    /// </summary>
    internal static string[] Sample(GptSampler sampler, ITokenizer tok, int count, Generator generator, int? label)
    {
        var result = new List<string>(count);
        for (int start = 0; start < count; start += 256)
        {
            int n = Math.Min(256, count - start);
            var labels = label is { } l ? Enumerable.Repeat(l, n).ToArray() : null;
            result.AddRange(sampler.Generate(Enumerable.Repeat(new[] { tok.BeginId }, n).ToArray(), generator, labels).Select(ids => tok.Decode(ids)));
        }
        return result.ToArray();
    }

    /// <summary>The label index of <paramref name="text"/>: a class name stored in the checkpoint, or an index.</summary>
    private static int ResolveLabel(string path, string text, int classCount, IReadOnlyList<string>? classNames)
    {
        if (classCount == 0)
        {
            throw new CommandException($"{path}: the model is unconditional; --label is not allowed");
        }
        if (classNames is not null && classNames.ToList().IndexOf(text) is var byName and >= 0)
        {
            return byName;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < classCount)
        {
            return index;
        }
        string known = classNames is null ? "" : $" or one of {string.Join(", ", classNames)}";
        throw new CommandException($"--label must be an index in [0, {classCount - 1}]{known}, got '{text}'");
    }

    private static (Gpt Model, ITokenizer Tokenizer, string Kind, IReadOnlyList<string>? ClassNames) Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new CommandException($"{path}: no such checkpoint");
        }
        var file = SafeTensors.Load(path);
        try
        {
            if (!file.Metadata.TryGetValue("gpt.options", out var json))
            {
                throw new FormatException("not a language-model checkpoint (metadata 'gpt.options' is missing)");
            }
            var options = GptOptions.FromJson(json);
            var tok = TokenizerMetadata.Read(file.Metadata);
            var model = new Gpt(options, new Generator(0));
            model.LoadStateDict(file.Tensors);
            model.Eval();
            string kind = file.Metadata.TryGetValue(LmCommand.KindKey, out var k) ? k : tok is SmilesTokenizer ? "smiles" : "dna";
            var names = file.Metadata.TryGetValue(LmCommand.ClassNamesKey, out var n) ? System.Text.Json.JsonSerializer.Deserialize<string[]>(n) : null;
            return (model, tok, kind, names);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or Promptor.Nn.StateDictMismatchException)
        {
            throw new CommandException($"{path}: {e.Message}");
        }
    }
}
