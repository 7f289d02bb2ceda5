using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;
using static Promptor.Tests.Cli.CliTrainingData;

namespace Promptor.Tests.Cli;

/// <summary>
/// The bad inputs of the training commands: each gives exit code 2 and one line naming the file, the
/// line (where there is one) and the field, and leaves the output folder as it was.
/// </summary>
public class BadInputTests
{
    [Fact]
    public void EmptyFasta()
    {
        using var dir = new TempDirectory();
        var (_, table) = Write(dir);
        string fasta = dir.Write("empty.fa", "");

        var message = TrainFails(dir, fasta, table);

        Assert.Equal($"promptor: {fasta}: file is empty (no FASTA records)", message);
    }

    [Fact]
    public void DuplicateIds()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        var lines = File.ReadAllLines(fasta);
        lines[2] = lines[0]; // the second record takes the first record's id
        File.WriteAllLines(fasta, lines);

        var message = TrainFails(dir, fasta, table);

        Assert.StartsWith($"promptor: {fasta}:3: duplicate record id '{lines[0][1..]}' (first seen on line 1)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IllegalCharacters()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        var lines = File.ReadAllLines(fasta);
        lines[3] = "AC#" + lines[3][3..];
        File.WriteAllLines(fasta, lines);

        var message = TrainFails(dir, fasta, table);

        Assert.Equal($"promptor: {fasta}:4: illegal character '#' (column 3) in sequence of record '{lines[2][1..]}'", message);
    }

    [Fact]
    public void UnequalLengthsUnlessPaddingOrTrimmingIsAllowed()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        var lines = File.ReadAllLines(fasta);
        lines[5] = lines[5][..30];
        File.WriteAllLines(fasta, lines);
        string id = lines[4][1..];

        var message = TrainFails(dir, fasta, table);
        var (padded, _, padError) = Run(TrainArgs(fasta, table, dir.File("padded"), "--pad"));

        Assert.Equal($"promptor: {fasta}:5: record '{id}' has 30 bp but the first record '{lines[0][1..]}''s length is 40 bp; pass --pad to accept it", message);
        Assert.True(padded == 0, padError);
    }

    [Fact]
    public void UnknownGeneIds()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        File.AppendAllText(table, "YFG1\t0.5\t0.1\t-0.2\n");

        var message = TrainFails(dir, fasta, table);

        Assert.StartsWith($"promptor: {table}:50: unknown gene 'YFG1' in column 'gene': no record of {fasta} has this id", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATreatmentWithNoValues()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        var rows = File.ReadAllLines(table).Select((l, i) => i == 0 ? l : string.Join('\t', l.Split('\t').Select((f, c) => c == 2 ? "NA" : f)));
        File.WriteAllLines(table, rows);

        var message = TrainFails(dir, fasta, table);

        Assert.Equal($"promptor: {table}:1: condition 'peroxide' has no values (all missing)", message);
    }

    [Fact]
    public void NonFiniteValues()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        var lines = File.ReadAllLines(table);
        var fields = lines[3].Split('\t');
        fields[1] = "-Inf";
        lines[3] = string.Join('\t', fields);
        File.WriteAllLines(table, lines);

        var message = TrainFails(dir, fasta, table);

        Assert.Equal($"promptor: {table}:4: non-finite value '-Inf' in column 'heat'", message);
    }

    [Fact]
    public void ACheckpointOfAnotherModel()
    {
        using var dir = new TempDirectory();
        var (fasta, _) = Write(dir);
        var linear = new Linear(4, 3, new Generator(1));
        string checkpoint = dir.File("linear.safetensors");
        TrainingCheckpoint.Save(checkpoint, linear, Info(ModelDescription.Of(linear), PromptorVersion.Current));

        var message = PredictFails(dir, checkpoint, fasta);

        Assert.Equal($"promptor: '{checkpoint}' holds a Linear, not a CondPromoter.", message);
    }

    [Fact]
    public void ACheckpointOfAnotherVersion()
    {
        using var dir = new TempDirectory();
        var (fasta, _) = Write(dir);
        var model = new CondPromoter(new CondPromoterOptions { TreatmentCount = 3, SequenceLength = 40, Convolutions = [new(8, 5, 1, 4)], ModelDim = 8, SelfAttentionBlocks = 0, SelfAttentionHeads = 2, CrossAttentionHeads = 2, HeadHidden = 8 }, new Generator(1));
        string checkpoint = dir.File("future.safetensors");
        TrainingCheckpoint.Save(checkpoint, model, Info(ModelDescription.Of(model), "99.0.0"));

        var message = PredictFails(dir, checkpoint, fasta);

        Assert.Equal($"promptor: 'future.safetensors' was written by Promptor 99.0.0; this is Promptor {PromptorVersion.Current} and major versions must match.", message);
    }

    [Fact]
    public void AnOutputFolderThatAlreadyHoldsARun()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);
        var before = Snapshot(run);

        var (exit, _, error) = Run(TrainArgs(fasta, table, run, "--seed", "2"));

        Assert.Equal(2, exit);
        Assert.Equal($"promptor: {Path.Combine(run, "run.json")}: the output folder already holds a run; pass --force to replace it or --resume to continue it",
            Assert.Single(Lines(error)));
        AssertUnchanged(before, run);
    }

    [Fact]
    public void SequencesOfAnotherLengthThanTheModelsForPredict()
    {
        using var dir = new TempDirectory();
        var (fasta, table) = Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Run(TrainArgs(fasta, table, run)).Exit);
        string longer = dir.Write("longer.fa", ">first\n" + new string('A', 40) + "\n>second\n" + new string('C', 45) + "\n");

        var message = PredictFails(dir, Path.Combine(run, "best.safetensors"), longer);

        Assert.Equal($"promptor: {longer}:3: record 'second' has 45 bp but the model's length is 40 bp; pass --trim to accept it", message);
    }

    private static CheckpointInfo Info(ModelDescription model, string version)
    {
        string[] treatments = ["heat", "peroxide", "starvation"];
        return new CheckpointInfo(model, version, treatments, ScalerSnapshot.Of(TargetScaler.Identity(treatments)), TaskKind.Regression, -0.58f, 0.58f, 1);
    }

    /// <summary>Runs train into a folder holding an earlier file; asserts exit 2, one line, and the folder untouched; returns the line.</summary>
    private static string TrainFails(TempDirectory dir, string fasta, string table)
    {
        string run = dir.File("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "notes.txt"), "kept");
        var before = Snapshot(run);

        var (exit, output, error) = Run(TrainArgs(fasta, table, run));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        AssertUnchanged(before, run);
        return Assert.Single(Lines(error));
    }

    /// <summary>Runs predict over an earlier output with --force; asserts exit 2, one line, and the output untouched; returns the line.</summary>
    private static string PredictFails(TempDirectory dir, string checkpoint, string fasta)
    {
        string output = dir.Write("predictions.tsv", "earlier\n");

        var (exit, _, error) = Run("predict", "--checkpoint", checkpoint, "--sequences", fasta, "--out", output, "--force");

        Assert.Equal(2, exit);
        Assert.Equal("earlier\n", File.ReadAllText(output));
        return Assert.Single(Lines(error));
    }
}
