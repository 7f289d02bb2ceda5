using System.Globalization;
using System.Text;
using Promptor.Genomics.Motifs;
using Promptor.Tests.Genomics;
using Promptor.Tests.Genomics.Motifs;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class MotifsCommandTests
{
    /// <summary>
    /// Genes a0.. carry Reb1 sites marked under "oxidative", genes b0.. carry PAC sites marked under "heat";
    /// each treatment's track elsewhere is background noise.
    /// </summary>
    private static (string Fasta, string Tracks) WriteInputs(TempDirectory temp)
    {
        var reb1 = PlantedMotifData.Create(BuiltInMotifs.Reb1, count: 60, length: 80, fraction: 0.7, noise: 0.2f, seed: 1);
        var pac = PlantedMotifData.Create(BuiltInMotifs.Pac, count: 60, length: 80, fraction: 0.7, noise: 0.2f, seed: 2);
        var fasta = new StringBuilder();
        var tracks = new StringBuilder("gene\ttreatment\t" + string.Join('\t', Enumerable.Range(0, 80).Select(i => $"p{i}")) + "\n");
        void Add(string prefix, PlantedMotifData data, string marked, string other)
        {
            for (int i = 0; i < data.Sequences.Length; i++)
            {
                fasta.Append($">{prefix}{i}\n{data.Sequences[i]}\n");
                tracks.Append($"{prefix}{i}\t{marked}\t{string.Join('\t', data.Tracks[i].Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))}\n");
                var noise = data.Tracks[(i + 1) % data.Tracks.Length].Select(v => Math.Min(v, 0.5f)); // another gene's background
                tracks.Append($"{prefix}{i}\t{other}\t{string.Join('\t', noise.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))}\n");
            }
        }
        Add("a", reb1, "oxidative", "heat");
        Add("b", pac, "heat", "oxidative");
        return (temp.Write("genes.fa", fasta.ToString()), temp.Write("tracks.tsv", tracks.ToString()));
    }

    [Fact]
    public void WritesTopMotifsPerTreatmentMatchedToTheBundledDatabase()
    {
        using var temp = new TempDirectory();
        var (fasta, tracks) = WriteInputs(temp);
        string dir = temp.File("motifs");

        var (exit, stdout, error) = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", dir, "--top", "3");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("wrote top_motifs.tsv, motifs.meme", stdout);
        var lines = File.ReadAllLines(Path.Combine(dir, "top_motifs.tsv"));
        Assert.Equal("treatment\trank\tmotif_id\tconsensus\tseqlets\tbest_match_id\tbest_match_name\tp\tq", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToArray();
        var oxidative = rows.First(r => r[0] == "oxidative" && r[1] == "1");
        var heat = rows.First(r => r[0] == "heat" && r[1] == "1");
        Assert.Contains(oxidative[5], new[] { "REB1", "YDR026c" }); // Reb1 and its paralogue Nsi1 bind the same site
        Assert.True(double.Parse(oxidative[8], CultureInfo.InvariantCulture) < 0.05);
        Assert.True(heat[3].Contains("GCGATGAG", StringComparison.Ordinal) || heat[3].Contains("CTCATCGC", StringComparison.Ordinal), heat[3]);
        Assert.True(double.Parse(heat[8], CultureInfo.InvariantCulture) < 0.05);
        var meme = MemeReader.Read(Path.Combine(dir, "motifs.meme")).Motifs;
        Assert.Equal(rows.Select(r => r[2]), meme.Select(m => m.Id));
    }

    [Fact]
    public void UnknownTreatmentGivesOneLineAndExitCode2()
    {
        using var temp = new TempDirectory();
        var (fasta, tracks) = WriteInputs(temp);
        string dir = temp.File("motifs");

        var (exit, stdout, error) = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", dir, "--treatments", "heat,cold");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"promptor: --treatments: unknown treatment 'cold' ({tracks} has: oxidative, heat)", Assert.Single(Lines(error)));
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("gene\ttreatment\tp0\tp1\tp2\tp3\ng1\theat\t1\t2\t3\t4\nnope\theat\t1\t2\t3\t4\n", ":3: gene 'nope' is not in ")]
    [InlineData("gene\ttreatment\tp0\tp1\tp2\ng1\theat\t1\t2\t3\n", ":2: gene 'g1': 3 values, but its sequence has 4 bases")]
    [InlineData("gene\ttreatment\tp0\tp1\tp2\tp3\ng1\theat\t1\tx\t3\t4\n", ":2: column 'p1': 'x' is not a finite number")]
    [InlineData("", ": track file is empty")]
    public void BadTracksNameFileAndLine(string tracksText, string message)
    {
        using var temp = new TempDirectory();
        string fasta = temp.Write("genes.fa", ">g1\nACGT\n");
        string tracks = temp.Write("tracks.tsv", tracksText);

        var (exit, _, error) = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("out"));

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"promptor: {tracks}{message}", line);
    }

    [Fact]
    public void BadDatabaseAndExistingOutputAreRefused()
    {
        using var temp = new TempDirectory();
        var (fasta, tracks) = WriteInputs(temp);
        string bad = temp.Write("db.meme", "MEME version 4\n\nMOTIF X\nletter-probability matrix: alength= 4 w= 1\n0.1 0.1 0.1 0.1\n");
        string empty = temp.Write("empty.meme", "");
        string dir = temp.File("motifs");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "top_motifs.tsv"), "keep me");

        var sum = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("a"), "--database", bad);
        var none = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("b"), "--database", empty);
        var existing = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", dir);

        Assert.Equal(2, sum.Exit);
        Assert.Equal($"promptor: {bad}:5: motif 'X' row 1: probabilities sum to 0.4, not 1", Assert.Single(Lines(sum.Error)));
        Assert.Equal(2, none.Exit);
        Assert.Equal($"promptor: {empty}: motif file is empty", Assert.Single(Lines(none.Error)));
        Assert.Equal(2, existing.Exit);
        Assert.Contains("--force", Assert.Single(Lines(existing.Error)));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(dir, "top_motifs.tsv")));
        Assert.False(Directory.Exists(temp.File("a")));
    }

    /// <summary>The TSV tracks of <see cref="WriteInputs"/> as a (genes, treatments, bases) array, treatments oxidative then heat.</summary>
    private static string WriteNpy(TempDirectory temp, string tracksTsv, string fasta)
    {
        var tracks = ImportanceTrackReader.Read(tracksTsv).ToDictionary(t => (t.Gene, t.Treatment), t => t.Values);
        var genes = Promptor.Genomics.IO.FastaReader.Read(fasta);
        var data = genes.SelectMany(g => tracks[(g.Id, "oxidative")].Concat(tracks[(g.Id, "heat")])).ToArray();
        string path = temp.File("tracks.npy");
        Promptor.Genomics.IO.NpyWriter.Write(path, [genes.Count, 2, 80], data);
        return path;
    }

    [Fact]
    public void NpyTracksGiveTheSameMotifsAsTheTsv()
    {
        using var temp = new TempDirectory();
        var (fasta, tracks) = WriteInputs(temp);
        string npy = WriteNpy(temp, tracks, fasta);

        var fromTsv = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("tsv"), "--top", "2", "--rank-by", "seqlets");
        var fromNpy = Run("motifs", "--tracks", npy, "--track-names", "oxidative,heat", "--sequences", fasta, "--out", temp.File("npy"), "--top", "2", "--rank-by", "seqlets");

        Assert.Equal((0, ""), (fromNpy.Exit, fromNpy.Error));
        Assert.Equal(0, fromTsv.Exit);
        string Table(string dir) => File.ReadAllText(Path.Combine(temp.File(dir), "top_motifs.tsv"));
        Assert.Equal(Table("tsv"), Table("npy"));
        Assert.Contains("oxidative\t1\t", Table("npy"), StringComparison.Ordinal);
    }

    [Fact]
    public void AttendMapsFolderIsReadWithTheTreatmentsOfItsMetaProfile()
    {
        using var temp = new TempDirectory();
        var (fasta, tracks) = WriteInputs(temp);
        var byGene = ImportanceTrackReader.Read(tracks).ToLookup(t => t.Gene);
        string attend = temp.File("attend");
        string maps = Path.Combine(attend, "maps");
        Directory.CreateDirectory(maps);
        File.WriteAllText(Path.Combine(attend, "meta_profile.tsv"), "treatment\tposition\tmean_attention\noxidative\t0\t0.1\nheat\t0\t0.1\n");
        foreach (var gene in byGene)
        {
            // (treatments, heads + 1, bases): a decoy head of zeros, then the head average.
            var ox = gene.Single(t => t.Treatment == "oxidative").Values;
            var heat = gene.Single(t => t.Treatment == "heat").Values;
            Promptor.Genomics.IO.NpyWriter.Write(Path.Combine(maps, gene.Key + ".npy"), [2, 2, 80], [.. new float[80], .. ox, .. new float[80], .. heat]);
        }

        var fromTsv = Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("tsv"), "--top", "2");
        var fromMaps = Run("motifs", "--tracks", maps, "--sequences", fasta, "--out", temp.File("maps"), "--top", "2");

        Assert.Equal((0, ""), (fromMaps.Exit, fromMaps.Error));
        Assert.Equal(File.ReadAllText(Path.Combine(temp.File("tsv"), "top_motifs.tsv")), File.ReadAllText(Path.Combine(temp.File("maps"), "top_motifs.tsv")));
    }

    [Fact]
    public void BadNpyTracksGiveOneLineNamingFileAndField()
    {
        using var temp = new TempDirectory();
        string fasta = temp.Write("genes.fa", ">g1\nACGT\n>g2\nTTGA\n");
        string twoGenes = temp.File("ok.npy");
        Promptor.Genomics.IO.NpyWriter.Write(twoGenes, [2, 1, 4], new float[8]);
        string threeGenes = temp.File("three.npy");
        Promptor.Genomics.IO.NpyWriter.Write(threeGenes, [3, 1, 4], new float[12]);
        string doubles = temp.File("f8.npy");
        var header = Promptor.Genomics.IO.NpyWriter.Header([2, 4]);
        Encoding.ASCII.GetBytes("<f8").CopyTo(header, Encoding.ASCII.GetString(header).IndexOf("<f4", StringComparison.Ordinal));
        File.WriteAllBytes(doubles, [.. header, .. new byte[64]]);
        string emptyMaps = temp.File("maps");
        Directory.CreateDirectory(emptyMaps);

        var count = Run("motifs", "--tracks", threeGenes, "--track-names", "heat", "--sequences", fasta, "--out", temp.File("a"));
        var type = Run("motifs", "--tracks", doubles, "--track-names", "heat", "--sequences", fasta, "--out", temp.File("b"));
        var names = Run("motifs", "--tracks", twoGenes, "--sequences", fasta, "--out", temp.File("c"));
        var tooMany = Run("motifs", "--tracks", twoGenes, "--track-names", "heat,acid", "--sequences", fasta, "--out", temp.File("d"));
        var noMap = Run("motifs", "--tracks", emptyMaps, "--track-names", "heat", "--sequences", fasta, "--out", temp.File("e"));
        var pi0 = Run("motifs", "--tracks", twoGenes, "--track-names", "heat", "--sequences", fasta, "--out", temp.File("f"), "--pi0", "0");
        var shift = Run("motifs", "--tracks", twoGenes, "--track-names", "heat", "--sequences", fasta, "--out", temp.File("g"), "--flank", "2", "--shift", "3");

        Assert.All(new[] { count, type, names, tooMany, noMap, pi0, shift }, r => Assert.Equal(2, r.Exit));
        Assert.Equal($"promptor: {threeGenes}: shape (3, 1, 4) holds 3 genes but the sequences are 2", Assert.Single(Lines(count.Error)));
        Assert.Equal($"promptor: {doubles}: element type '<f8' is not supported; expected little-endian float32 '<f4'", Assert.Single(Lines(type.Error)));
        Assert.Equal($"promptor: {twoGenes}: a .npy array has no treatment names; give them with --track-names", Assert.Single(Lines(names.Error)));
        Assert.Equal($"promptor: {twoGenes}: shape (2, 1, 4) holds 1 treatment but 2 treatment names were given (heat, acid)", Assert.Single(Lines(tooMany.Error)));
        Assert.Equal($"promptor: {emptyMaps}: no g1.npy for gene 'g1' of {fasta}", Assert.Single(Lines(noMap.Error)));
        Assert.Equal("promptor: --pi0 must be a number in (0, 1] or 'storey', got '0'", Assert.Single(Lines(pi0.Error)));
        Assert.Equal("promptor: --shift must lie in [0, --flank = 2], got 3", Assert.Single(Lines(shift.Error)));
        Assert.All("abcdefg", c => Assert.False(Directory.Exists(temp.File(c.ToString()))));
    }

    [Fact]
    public void EstimatedNullFractionNeverRaisesQ()
    {
        using var temp = new TempDirectory();
        var (fasta, tracks) = WriteInputs(temp);

        Assert.Equal(0, Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("one"), "--top", "2").Exit);
        Assert.Equal(0, Run("motifs", "--tracks", tracks, "--sequences", fasta, "--out", temp.File("storey"), "--top", "2", "--pi0", "storey").Exit);

        double[] Q(string dir) => File.ReadAllLines(Path.Combine(temp.File(dir), "top_motifs.tsv")).Skip(1)
            .Select(l => double.Parse(l.Split('\t')[8], CultureInfo.InvariantCulture)).ToArray();
        var conservative = Q("one");
        var estimated = Q("storey");
        Assert.Equal(conservative.Length, estimated.Length);
        Assert.All(conservative.Zip(estimated), p => Assert.True(p.Second <= p.First * (1 + 1e-3), $"{p.Second} > {p.First}"));
    }

    [Fact]
    public void ReadsTheMapsFolderThatAttendWrites()
    {
        using var temp = new TempDirectory();
        var model = Promptor.Tests.Genomics.Interpretation.AttentionTestModels.Model();
        var treatments = Promptor.Tests.Genomics.Interpretation.AttentionTestModels.Treatments;
        var info = new Promptor.Genomics.Training.CheckpointInfo(Promptor.Genomics.Training.ModelDescription.Of(model), Promptor.Genomics.Training.PromptorVersion.Current, treatments,
            Promptor.Genomics.Training.ScalerSnapshot.Of(Promptor.Genomics.Training.TargetScaler.Identity(treatments)), Promptor.Genomics.Training.TaskKind.Regression, -0.58f, 0.58f, 1);
        string checkpoint = temp.File("model.safetensors");
        Promptor.Genomics.Training.TrainingCheckpoint.Save(checkpoint, model, info);
        string fasta = temp.File("genes.fa");
        Promptor.Genomics.IO.FastaWriter.Write(fasta, Promptor.Tests.Genomics.Interpretation.AttentionTestModels.Genes(40));
        string attend = temp.File("attend");
        Assert.Equal(0, Run("attend", "--checkpoint", checkpoint, "--sequences", fasta, "--out", attend, "--format", "npy",
            "--treatments", "acid,heat", "--examples", "40").Exit);

        // The same head-averaged maps through the maps folder (names from meta_profile.tsv) and through example_genes.tsv.
        var fromMaps = Run("motifs", "--tracks", Path.Combine(attend, "maps"), "--sequences", fasta, "--out", temp.File("maps"), "--quantile", "0.9", "--top", "2");
        var fromTsv = Run("motifs", "--tracks", Path.Combine(attend, "example_genes.tsv"), "--sequences", fasta, "--out", temp.File("tsv"), "--quantile", "0.9", "--top", "2");

        Assert.Equal((0, ""), (fromMaps.Exit, fromMaps.Error));
        Assert.Equal(0, fromTsv.Exit);
        Assert.StartsWith("acid: ", Lines(fromMaps.Output)[0]);
        Assert.StartsWith("heat: ", Lines(fromMaps.Output)[1]);
        string Table(string dir) => File.ReadAllText(Path.Combine(temp.File(dir), "top_motifs.tsv"));
        Assert.Equal(Table("tsv"), Table("maps"));
        Assert.True(Lines(Table("maps")).Length > 1, fromMaps.Output); // some clusters, even from an untrained model's attention
    }
}
