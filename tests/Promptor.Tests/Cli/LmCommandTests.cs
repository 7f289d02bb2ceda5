using System.Text.Json;
using Promptor.Tensors;
using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class LmCommandTests
{
    internal static readonly string[] Molecules =
    [
        "CCO", "CCN", "CCC", "CC(=O)O", "c1ccccc1", "c1ccncc1", "CC(C)O", "CCOC", "OCCO", "NCCN",
        "CC(=O)N", "c1ccc(O)cc1", "CCCl", "CCBr", "C1CCCCC1", "CC#N", "C=CC", "CC(C)(C)O", "COC(=O)C", "c1ccc(N)cc1",
    ];

    internal static string[] SmilesArgs(string input, string dir) =>
        ["lm", "train", "--input", input, "--tokenizer", "smiles", "--out", dir, "--context", "16", "--dim", "16", "--heads", "2",
         "--blocks", "1", "--epochs", "2", "--batch-size", "8", "--validation", "0.2", "--samples", "10", "--seed", "2"];

    [Fact]
    public void TrainsASmilesModelAndWritesTheRun()
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', Molecules) + "\n");
        string dir = temp.File("run");

        var (exit, output, error) = Run(SmilesArgs(input, dir));

        Assert.True(exit == 0, error);
        Assert.Contains("16 training and 4 validation sequences", output, StringComparison.Ordinal);
        Assert.Contains("valid", output, StringComparison.Ordinal);
        Assert.Equal(["metrics.tsv", "model.safetensors", "samples.txt", "summary.json", "train.smi", "vocab.json"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Equal(16, Lines(File.ReadAllText(Path.Combine(dir, "train.smi"))).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(2, summary.RootElement.GetProperty("epochs_run").GetInt32());
        Assert.InRange(summary.RootElement.GetProperty("samples_valid_fraction").GetDouble(), 0, 1);
        var vocabulary = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(dir, "vocab.json")))!;
        Assert.Equal(["<pad>", "<bos>", "<eos>"], vocabulary[..3]);
        Assert.Contains("Cl", vocabulary);
    }

    [Fact]
    public void TrainsADnaModelAgainstMarkovBaselines()
    {
        using var temp = new TempDirectory();
        var g = new Generator(4);
        var records = Enumerable.Range(0, 10).Select(i => $">p{i}\n" + new string(Enumerable.Range(0, 70).Select(_ => "ACGT"[(int)(g.NextDouble() * 4)]).ToArray()));
        string input = temp.Write("p.fa", string.Join('\n', records) + "\n");
        string dir = temp.File("run");

        var (exit, output, error) = Run("lm", "train", "--input", input, "--tokenizer", "dna", "--out", dir, "--context", "32", "--dim", "16",
            "--heads", "2", "--blocks", "1", "--epochs", "1", "--validation", "0.2", "--samples", "4");

        Assert.True(exit == 0, error);
        Assert.Contains("bits/base (best k-mer Markov chain", output, StringComparison.Ordinal);
        Assert.Contains("6-mer spectrum", output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var markov = summary.RootElement.GetProperty("markov_validation_bits_per_base_by_order");
        Assert.Equal(9, markov.EnumerateObject().Count());
        Assert.InRange(markov.GetProperty("0").GetDouble(), 1.8, 2.2);    // random DNA: about 2 bits per base
    }

    [Theory]
    [InlineData("--tokenizer", "words", "--tokenizer must be dna, kmer or smiles")]
    [InlineData("--validation", "1.5", "--validation must lie in (0, 1)")]
    [InlineData("--positions", "rotary", "--positions must be")]
    public void BadOptionsGiveOneLineAndExitTwo(string flag, string value, string message)
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', Molecules) + "\n");
        var args = SmilesArgs(input, temp.File("run")).ToList();
        int at = args.IndexOf(flag);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }

        var (exit, output, error) = Run([.. args]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void ContinuesFromAnEarlierRunOnlyWithTheSameModel()
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', Molecules) + "\n");
        Assert.Equal(0, Run(SmilesArgs(input, temp.File("first"))).Exit);
        string checkpoint = Path.Combine(temp.File("first"), "model.safetensors");
        double firstLoss = ValidationLoss(temp.File("first"));

        var (exit, _, error) = Run([.. SmilesArgs(input, temp.File("second")), "--init", checkpoint]);
        var widerArgs = SmilesArgs(input, temp.File("third"));
        widerArgs[Array.IndexOf(widerArgs, "--dim") + 1] = "32";
        var wider = Run([.. widerArgs, "--init", checkpoint]);
        var withoutDropout = Run([.. SmilesArgs(input, temp.File("fourth")), "--dropout", "0", "--init", checkpoint]);

        Assert.True(exit == 0, error);
        Assert.True(withoutDropout.Exit == 0, withoutDropout.Error);          // dropout is a training setting, not architecture
        Assert.Equal(0.0, Options(temp.File("fourth")).GetProperty("Dropout").GetDouble());
        Assert.True(ValidationLoss(temp.File("second")) < firstLoss);      // two more epochs from the first run's weights
        Assert.Equal(2, wider.Exit);
        Assert.Contains("model options differ", Assert.Single(Lines(wider.Error)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("third")));
    }

    private static JsonElement Options(string dir)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        return summary.RootElement.GetProperty("options").Clone();
    }

    private static double ValidationLoss(string dir)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        return summary.RootElement.GetProperty("validation_nats_per_token").GetDouble();
    }

    [Fact]
    public void MalformedCsvNamesFileAndLine()
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.csv", "id,smiles\n1,CCO\n2\n");

        var (exit, _, error) = Run(SmilesArgs(input, temp.File("run")));

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(error));
        Assert.Contains("m.csv", line, StringComparison.Ordinal);
        Assert.Contains("3", line, StringComparison.Ordinal);
    }

    /// <summary>Two FASTA files of 12 records of 40 bases: class "at" rich in A/T, class "gc" rich in G/C.</summary>
    private static (string At, string Gc) LabelledFasta(TempDirectory temp)
    {
        var g = new Generator(9);
        string Records(string alphabet, string prefix) => string.Join('\n', Enumerable.Range(0, 12).Select(i =>
            $">{prefix}{i}\n" + new string(Enumerable.Range(0, 40).Select(_ => g.NextInt(10) < 8 ? alphabet[g.NextInt(2)] : "ACGT"[g.NextInt(4)]).ToArray()))) + "\n";
        return (temp.Write("at.fa", Records("AT", "a")), temp.Write("gc.fa", Records("GC", "g")));
    }

    [Fact]
    public void TrainsALabelConditionedDnaModelAndSamplesEachClassByName()
    {
        using var temp = new TempDirectory();
        var (at, gc) = LabelledFasta(temp);
        string dir = temp.File("run");

        var (exit, output, error) = Run("lm", "train", "--class", $"at={at}", "--class", $"gc={gc}", "--tokenizer", "dna", "--out", dir,
            "--context", "40", "--dim", "16", "--heads", "2", "--blocks", "1", "--epochs", "1", "--validation", "0.25", "--samples", "3");

        Assert.True(exit == 0, error);
        Assert.Contains("class gc: 6-mer distance", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "samples-at.txt")));
        Assert.Equal(3, Lines(File.ReadAllText(Path.Combine(dir, "samples-gc.txt"))).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(["at", "gc"], summary.RootElement.GetProperty("class_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, summary.RootElement.GetProperty("options").GetProperty("ClassCount").GetInt32());

        string model = Path.Combine(dir, "model.safetensors");
        var byName = Run("generate", "--checkpoint", model, "-n", "2", "--label", "gc", "--guidance", "2", "--seed", "1");
        var byIndex = Run("generate", "--checkpoint", model, "-n", "2", "--label", "1", "--guidance", "2", "--seed", "1");
        var unknown = Run("generate", "--checkpoint", model, "-n", "2", "--label", "cpg");
        Assert.True(byName.Exit == 0, byName.Error);
        Assert.Equal(byName.Output, byIndex.Output);
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("one of at, gc, got 'cpg'", Assert.Single(Lines(unknown.Error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("both", "either --input or --class")]
    [InlineData("one", "at least two --class inputs")]
    [InlineData("noname", "--class must be NAME=PATH")]
    [InlineData("twice", "--class at is given twice")]
    [InlineData("conditioning", "--conditioning must be prefix, cross or both")]
    public void BadClassInputsGiveOneLineAndExitTwo(string variant, string message)
    {
        using var temp = new TempDirectory();
        var (at, gc) = LabelledFasta(temp);
        string[] data = variant switch
        {
            "both" => ["--input", at, "--class", $"gc={gc}"],
            "one" => ["--class", $"at={at}"],
            "noname" => ["--class", at, "--class", $"gc={gc}"],
            "twice" => ["--class", $"at={at}", "--class", $"at={gc}"],
            _ => ["--class", $"at={at}", "--class", $"gc={gc}", "--conditioning", "film"],
        };

        var (exit, output, error) = Run(["lm", "train", .. data, "--tokenizer", "dna", "--out", temp.File("run"), "--context", "40", "--dim", "16", "--epochs", "1"]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void TrainsOnRandomizedSmilesAndRecordsTheAugmentation()
    {
        using var temp = new TempDirectory();
        string[] molecules = [.. Molecules, "N[C@@H](C)C(=O)O", "F/C=C/F", "[Na+].[Cl-]", "CC(C)(C)c1ccc(O)cc1", "c1ccc2ccccc2c1",
            "C1CC2CCC1C2", "[13CH3]O", "C[N+](C)(C)C", "O=C1CCCCC1", "c1ccc2[nH]ccc2c1"];
        string input = temp.Write("m.smi", string.Join('\n', molecules) + "\n");
        string dir = temp.File("run");
        string[] args = [.. SmilesArgs(input, dir), "--augment", "randomized"];
        args[Array.IndexOf(args, "--epochs") + 1] = "1";
        args[Array.IndexOf(args, "--context") + 1] = "40";

        var (exit, output, error) = Run(args);

        Assert.True(exit == 0, error);
        Assert.Contains("randomized molecules skipped", output, StringComparison.Ordinal);
        Assert.Equal(["metrics.tsv", "model.safetensors", "samples.txt", "summary.json", "train.smi", "vocab.json"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("randomized", summary.RootElement.GetProperty("augmentation").GetString());
        Assert.Equal([0], summary.RootElement.GetProperty("augmentation_skipped_by_epoch").EnumerateArray().Select(e => e.GetInt32()));
        var metadata = Promptor.Nn.Serialization.SafeTensors.Load(Path.Combine(dir, "model.safetensors")).Metadata;
        Assert.Equal("randomized", metadata["lm.augmentation"]);
    }

    [Fact]
    public void AugmentedRunsAddReSpelledTokensOrKeepTheVocabularyOfTheRunTheyStartFrom()
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', [.. Molecules, "N[C@@H](C)C(=O)O", "N[C@@H](CO)C(=O)O"]) + "\n");
        string[] Args(string dir, params string[] extra)
        {
            string[] args = [.. SmilesArgs(input, dir), .. extra];
            args[Array.IndexOf(args, "--epochs") + 1] = "1";
            args[Array.IndexOf(args, "--samples") + 1] = "0";
            return args;
        }
        string[] Vocabulary(string dir) => JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(dir, "vocab.json")))!;

        Assert.Equal(0, Run(Args(temp.File("plain"))).Exit);
        Assert.Equal(0, Run(Args(temp.File("augmented"), "--augment", "randomized")).Exit);
        Assert.DoesNotContain("[C@H]", Vocabulary(temp.File("plain")));
        Assert.Contains("[C@H]", Vocabulary(temp.File("augmented"))); // alanine and serine written from the other side

        var (exit, output, error) = Run(Args(temp.File("continued"), "--augment", "randomized", "--init", Path.Combine(temp.File("plain"), "model.safetensors")));
        Assert.True(exit == 0, error);
        Assert.Equal(Vocabulary(temp.File("plain")), Vocabulary(temp.File("continued")));
        Assert.Contains("randomized molecules skipped", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dna", "--augment randomized needs --tokenizer smiles, got --tokenizer dna")]
    [InlineData("smiles", "--augment must be none or randomized, got 'sometimes'")]
    public void AugmentationIsRefusedWhereItDoesNotApply(string tokenizer, string message)
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', Molecules) + "\n");
        var (exit, _, error) = Run("lm", "train", "--input", input, "--tokenizer", tokenizer, "--out", temp.File("run"),
            "--augment", tokenizer == "dna" ? "randomized" : "sometimes");
        Assert.Equal(2, exit);
        Assert.Equal($"promptor: {message}", error.Trim());
    }

    [Fact]
    public void NegativePatienceIsRefused()
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', Molecules) + "\n");
        var (exit, _, error) = Run([.. SmilesArgs(input, temp.File("run")), "--patience", "-1"]);
        Assert.Equal(2, exit);
        Assert.Equal("promptor: --patience must be 0 or positive, got -1", error.Trim());
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void KeepLastSavesAndReportsTheFinalEpochsWeights()
    {
        using var temp = new TempDirectory();
        string input = temp.Write("m.smi", string.Join('\n', Molecules) + "\n");
        string dir = temp.File("run");
        string[] args = [.. SmilesArgs(input, dir), "--keep", "last", "--patience", "0"];
        args[Array.IndexOf(args, "--epochs") + 1] = "3";

        var (exit, output, error) = Run(args);

        Assert.True(exit == 0, error);
        Assert.StartsWith("last epoch 3: validation ", Lines(output)[^1], StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(3, summary.RootElement.GetProperty("kept_epoch").GetInt32());
        Assert.Equal(3, summary.RootElement.GetProperty("epochs_run").GetInt32());
        // The validation NLL reported is the last line of metrics.tsv, the epoch whose weights were saved.
        var last = File.ReadAllLines(Path.Combine(dir, "metrics.tsv"))[^1].Split('\t');
        Assert.Equal(double.Parse(last[2], System.Globalization.CultureInfo.InvariantCulture),
            summary.RootElement.GetProperty("validation_nats_per_token").GetDouble(), 4);

        var (bad, _, badError) = Run([.. SmilesArgs(input, temp.File("other")), "--keep", "first"]);
        Assert.Equal(2, bad);
        Assert.Equal("promptor: --keep must be best or last, got 'first'", badError.Trim());
    }
}
