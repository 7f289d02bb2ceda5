using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Tests.Genomics;
using Promptor.Tests.Genomics.Interpretation;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class AttendCommandTests
{
    private static string Checkpoint(TempDirectory temp, ConditioningMethod conditioning = ConditioningMethod.CrossAttention)
    {
        var model = AttentionTestModels.Model(conditioning: conditioning);
        var info = new CheckpointInfo(ModelDescription.Of(model), PromptorVersion.Current, AttentionTestModels.Treatments,
            ScalerSnapshot.Of(TargetScaler.Identity(AttentionTestModels.Treatments)), TaskKind.Regression, -0.58f, 0.58f, 1);
        string path = temp.File($"{conditioning}.safetensors");
        TrainingCheckpoint.Save(path, model, info);
        return path;
    }

    private static string Sequences(TempDirectory temp, int count = 3)
    {
        string path = temp.File("genes.fa");
        FastaWriter.Write(path, AttentionTestModels.Genes(count));
        return path;
    }

    [Fact]
    public void WritesMapsMetaProfileAndExampleGenes()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("attention");

        var (exit, output, error) = Run("attend", "--checkpoint", Checkpoint(temp), "--sequences", Sequences(temp), "--out", dir,
            "--format", "both", "--svg", "--examples", "2", "--treatments", "acid,heat");

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.Contains("mapped 3 genes × 2 treatments × 2 heads", output);
        var meta = File.ReadAllLines(Path.Combine(dir, "meta_profile.tsv"));
        Assert.Equal("treatment\tposition\tmean_attention", meta[0]);
        Assert.Equal(1 + 2 * 60, meta.Length);
        Assert.StartsWith("acid\t0\t", meta[1]);
        Assert.StartsWith("heat\t59\t", meta[^1]);
        double acidMass = meta.Skip(1).Where(l => l.StartsWith("acid\t", StringComparison.Ordinal)).Sum(l => double.Parse(l.Split('\t')[2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.0, acidMass, 1e-3);

        var examples = File.ReadAllLines(Path.Combine(dir, "example_genes.tsv"));
        Assert.Equal(["gene", "treatment", "p0", "p1"], examples[0].Split('\t')[..4]);
        Assert.Equal(62, examples[0].Split('\t').Length);
        Assert.Equal(["g0\tacid", "g0\theat", "g1\tacid", "g1\theat"], examples.Skip(1).Select(l => string.Join('\t', l.Split('\t')[..2])));
        Assert.Equal(["g0", "g1"], FastaReader.Read(Path.Combine(dir, "example_genes.fa")).Select(r => r.Id));

        var gene = File.ReadAllLines(Path.Combine(dir, "maps", "g2.tsv"));
        Assert.Equal(1 + 2 * 3, gene.Length);                              // 2 treatments × (2 heads + mean)
        Assert.Equal(["acid\t0", "acid\t1", "acid\tmean"], gene.Skip(1).Take(3).Select(l => string.Join('\t', l.Split('\t')[..2])));
        var npy = NpyReader.Read(Path.Combine(dir, "maps", "g2.npy"));
        Assert.Equal([2, 3, 60], npy.Shape);
        Assert.Equal(1.0, npy.Data.Skip(120).Take(60).Sum(v => (double)v), 1e-4); // acid, head average
        Assert.Contains("<g class=\"sequence\"", File.ReadAllText(Path.Combine(dir, "maps", "g0.svg")));
    }

    [Fact]
    public void UnknownTreatmentGivesOneLineAndWritesNothing()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("attention");

        var (exit, _, error) = Run("attend", "--checkpoint", Checkpoint(temp), "--sequences", Sequences(temp), "--out", dir, "--treatments", "heat,cold");

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("promptor: unknown treatment 'cold'", line);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData(ConditioningMethod.Film)]
    [InlineData(ConditioningMethod.MultiTask)]
    public void CheckpointWithoutAttentionIsRejected(ConditioningMethod conditioning)
    {
        using var temp = new TempDirectory();
        string dir = temp.File("attention");

        var (exit, _, error) = Run("attend", "--checkpoint", Checkpoint(temp, conditioning), "--sequences", Sequences(temp), "--out", dir);

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(error));
        Assert.Contains($"{conditioning} conditioning, which has no attention layers", line);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void BadGenesSequencesAndOutputsAreRejected()
    {
        using var temp = new TempDirectory();
        string checkpoint = Checkpoint(temp), sequences = Sequences(temp);
        string shortFasta = temp.File("short.fa");
        FastaWriter.Write(shortFasta, AttentionTestModels.Genes(1, length: 50));
        string busy = temp.File("busy");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "keep.txt"), "previous output");

        var unknownGene = Run("attend", "--checkpoint", checkpoint, "--sequences", sequences, "--out", temp.File("a"), "--genes", "g0,nope");
        var wrongLength = Run("attend", "--checkpoint", checkpoint, "--sequences", shortFasta, "--out", temp.File("b"));
        var occupied = Run("attend", "--checkpoint", checkpoint, "--sequences", sequences, "--out", busy);
        var both = Run("attend", "--checkpoint", checkpoint, "--run", temp.Path, "--sequences", sequences, "--out", temp.File("c"));

        Assert.Equal((2, "promptor: --genes: gene 'nope' is not in " + sequences), (unknownGene.Exit, Assert.Single(Lines(unknownGene.Error))));
        Assert.Contains("sequence 'g0' has 50 bp; the model reads 60 bp", Assert.Single(Lines(wrongLength.Error)));
        Assert.Contains("--force", Assert.Single(Lines(occupied.Error)));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(busy).Select(Path.GetFileName));
        Assert.Contains("exactly one of --checkpoint", Assert.Single(Lines(both.Error)));
        Assert.All(new[] { wrongLength.Exit, occupied.Exit, both.Exit }, e => Assert.Equal(2, e));
    }

    [Fact]
    public void RunFolderUsesItsBestCheckpoint()
    {
        using var temp = new TempDirectory();
        string run = temp.File("run");
        Directory.CreateDirectory(run);
        File.Copy(Checkpoint(temp), Path.Combine(run, Trainer.BestFileName));

        var (exit, _, error) = Run("attend", "--run", run, "--sequences", Sequences(temp, 1), "--out", Path.Combine(run, "attention"), "--format", "npy");

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(run, "attention", "maps", "g0.npy")));
        Assert.False(File.Exists(Path.Combine(run, "attention", "maps", "g0.tsv")));
    }
}
