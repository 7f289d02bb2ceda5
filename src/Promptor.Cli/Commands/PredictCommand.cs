using System.CommandLine;
using Promptor.Cli.Options;
using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;
using Promptor.Genomics.Training;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor predict --checkpoint F --sequences F.fa --out P.tsv</c>: predicts every treatment for every
/// promoter with a trained model and writes a gene × treatment TSV (atomically) in the targets' units.
/// The checkpoint must be a CondPromoter of this major version; sequences must have the model's length
/// unless <c>--pad</c>/<c>--trim</c>.
/// </summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint (.safetensors) written by train", Required = true };
        var sequences = new Option<string>("--sequences") { Description = "Promoter FASTA (.fa or .fa.gz)", Required = true };
        var output = new Option<string>("--out") { Description = "Output TSV: one line per sequence, one column per treatment", Required = true };
        var rcAverage = new Option<bool>("--rc-average") { Description = "Average the predictions of each sequence and its reverse complement" };
        var batch = new Option<int>("--batch-size") { Description = "Sequences per forward pass (memory only)", DefaultValueFactory = _ => 256 };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };
        var lengths = new SequenceLengthFlags();
        var command = new Command("predict", "Predict the response of every treatment for promoter sequences with a trained model.")
        {
            checkpoint, sequences, output, rcAverage, batch, force,
        };
        lengths.AddTo(command, withLength: false);
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string checkpointPath = parse.GetValue(checkpoint)!, fastaPath = parse.GetValue(sequences)!, outPath = parse.GetValue(output)!;
            CommandErrors.CheckOutputFile(outPath, parse.GetValue(force));
            if (parse.GetValue(batch) <= 0)
            {
                throw new CommandException($"--batch-size must be positive, got {parse.GetValue(batch)}");
            }
            if (!File.Exists(checkpointPath))
            {
                throw new CommandException($"{checkpointPath}: no such checkpoint");
            }
            var (model, info) = TrainingCheckpoint.LoadCondPromoter(checkpointPath);
            var records = FastaReader.Read(fastaPath);
            var fitted = lengths.Fit(parse, records, fastaPath, required: model.Options.SequenceLength);
            var x = OneHot.EncodeBatch(fitted);                                 // (N, L, 4)
            var settings = EvaluationSettings.From(info, parse.GetValue(rcAverage)) with { BatchSize = parse.GetValue(batch) };
            var predictions = Evaluation.Predict(model, x, settings);           // (N, T)
            PredictionWriter.Write(outPath, records.Select(r => r.Id).ToArray(), info.Treatments, predictions);
            stdout.WriteLine($"predicted {records.Count:N0} sequences × {info.Treatments.Count} treatments with {Path.GetFileName(checkpointPath)} (epoch {info.Epoch}{(parse.GetValue(rcAverage) ? ", both strands averaged" : "")}); wrote {outPath}");
            return 0;
        });
        return command;
    }
}
