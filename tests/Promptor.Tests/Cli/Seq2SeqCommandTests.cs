using System.Text.Json;
using Promptor.Genomics.Models.Seq2Seq;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class Seq2SeqCommandTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "seq2seq");

    private static string[] TrainArgs(string dir) =>
        ["seq2seq", "train", "--genome", Path.Combine(Fixtures, "yeast_chrI_46kb.fa"), "--orfs", Path.Combine(Fixtures, "yeast_chrI_46kb_orfs.bed"),
         "--out", dir, "--codons", "4", "--held-out", "0.2", "--dim", "8", "--heads", "2", "--layers", "1", "--epochs", "1",
         "--train-windows", "64", "--test-windows", "8", "--seed", "1"];

    [Fact]
    public void TrainsScoresAndTranslates()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("run");

        var (exit, output, error) = Run(TrainArgs(dir));

        Assert.True(exit == 0, error);
        Assert.Contains("residue accuracy", output, StringComparison.Ordinal);
        Assert.Equal(["alignment.svg", "metrics.tsv", "model.safetensors", "summary.json"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Equal(["run"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));   // no staging folder left
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        double accuracy = summary.RootElement.GetProperty("test_residue_accuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        Assert.Equal(2, Lines(File.ReadAllText(Path.Combine(dir, "metrics.tsv"))).Length);   // header + 1 epoch
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "alignment.svg")), StringComparison.Ordinal);

        string dna = temp.Write("cds.fa", ">a\nATGGCTAAAGATTGGTTT\n>b\nATGTGG\n");
        var translated = Run("seq2seq", "translate", "--checkpoint", Path.Combine(dir, "model.safetensors"), "--input", dna, "--beam", "2");
        Assert.True(translated.Exit == 0, translated.Error);
        var lines = Lines(translated.Output);
        Assert.Equal([">a", ">b"], lines.Where(l => l.StartsWith('>')));
        Assert.All(lines.Where(l => !l.StartsWith('>')), l => Assert.Matches("^[ACDEFGHIKLMNPQRSTVWY*]*$", l));
    }

    [Fact]
    public void ExistingRunIsLeftUntouchedWithoutForce()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("run");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "model.safetensors"), "previous");

        var (exit, output, error) = Run(TrainArgs(dir));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("promptor: ", line, StringComparison.Ordinal);
        Assert.Contains("--force", line, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(Path.Combine(dir, "model.safetensors")));
    }

    [Fact]
    public void TranslateRejectsPartialCodonsAndMissingCheckpoints()
    {
        using var temp = new TempDirectory();
        string checkpoint = temp.File("m.safetensors");
        Seq2SeqCheckpoint.Save(checkpoint, new Seq2SeqTransformer(new Seq2SeqOptions
        {
            SourceVocabSize = TranslationTask.SourceTokenizer.VocabularySize,
            TargetVocabSize = TranslationTask.TargetTokenizer.VocabularySize,
            MaxSourceLength = 12,
            MaxTargetLength = 5,
            ModelDim = 8,
            Heads = 2,
            EncoderLayers = 1,
            DecoderLayers = 1,
        }, new Promptor.Tensors.Generator(1)), TranslationTask.SourceTokenizer, TranslationTask.TargetTokenizer);
        string bad = temp.Write("bad.fa", ">x\nATGGC\n");

        var partial = Run("seq2seq", "translate", "--checkpoint", checkpoint, "--input", bad);
        var missing = Run("seq2seq", "translate", "--checkpoint", temp.File("none.safetensors"), "--input", bad);
        var beam = Run("seq2seq", "translate", "--checkpoint", checkpoint, "--input", bad, "--beam", "0");

        Assert.Equal(2, partial.Exit);
        Assert.Contains("'x' has 5 bases", Assert.Single(Lines(partial.Error)), StringComparison.Ordinal);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("none.safetensors", Assert.Single(Lines(missing.Error)), StringComparison.Ordinal);
        Assert.Equal(2, beam.Exit);
        Assert.Contains("--beam", Assert.Single(Lines(beam.Error)), StringComparison.Ordinal);
    }
}
