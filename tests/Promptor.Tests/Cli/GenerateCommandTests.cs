using Promptor.Tests.Genomics;
using static Promptor.Tests.Cli.CliRunner;

namespace Promptor.Tests.Cli;

public class GenerateCommandTests
{
    private static string TrainTiny(TempDirectory temp)
    {
        string input = temp.Write("m.smi", string.Join('\n', LmCommandTests.Molecules) + "\n");
        string dir = temp.File("run");
        var (exit, _, error) = Run(LmCommandTests.SmilesArgs(input, dir));
        Assert.True(exit == 0, error);
        return Path.Combine(dir, "model.safetensors");
    }

    [Fact]
    public void SamplesAreSeededAndScored()
    {
        using var temp = new TempDirectory();
        string checkpoint = TrainTiny(temp);

        var a = Run("generate", "--checkpoint", checkpoint, "-n", "6", "--seed", "5", "--top-k", "5", "--temperature", "0.8");
        var b = Run("generate", "--checkpoint", checkpoint, "-n", "6", "--seed", "5", "--top-k", "5", "--temperature", "0.8");
        var c = Run("generate", "--checkpoint", checkpoint, "-n", "6", "--seed", "6", "--top-p", "0.9");

        Assert.True(a.Exit == 0, a.Error);
        Assert.Equal(6, a.Output.Split('\n').Length - 1);                 // one sample per line (some may be empty)
        Assert.Equal(a.Output, b.Output);
        Assert.NotEqual(a.Output, c.Output);
        Assert.Contains("6 samples: valid", a.Error, StringComparison.Ordinal);
        Assert.Contains("novel", a.Error, StringComparison.Ordinal);       // train.smi beside the checkpoint
    }

    [Fact]
    public void WritesToAFileWithoutOverwriting()
    {
        using var temp = new TempDirectory();
        string checkpoint = TrainTiny(temp);
        string output = temp.File("samples.smi");

        var first = Run("generate", "--checkpoint", checkpoint, "-n", "3", "--out", output);
        string written = File.ReadAllText(output);
        var second = Run("generate", "--checkpoint", checkpoint, "-n", "3", "--seed", "9", "--out", output);

        Assert.True(first.Exit == 0, first.Error);
        Assert.Contains("valid", first.Output, StringComparison.Ordinal);
        Assert.Equal(2, second.Exit);
        Assert.Contains("--force", Assert.Single(Lines(second.Error)), StringComparison.Ordinal);
        Assert.Equal(written, File.ReadAllText(output));
    }

    [Theory]
    [InlineData("--temperature", "-1", "--temperature")]
    [InlineData("--top-p", "1.5", "--top-p")]
    [InlineData("--label", "0", "unconditional")]
    [InlineData("-n", "0", "-n must be positive")]
    public void BadOptionsGiveOneLineAndExitTwo(string flag, string value, string message)
    {
        using var temp = new TempDirectory();
        string checkpoint = TrainTiny(temp);

        var (exit, output, error) = Run("generate", "--checkpoint", checkpoint, flag, value);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Fact]
    public void NotALanguageModelCheckpoint()
    {
        using var temp = new TempDirectory();
        string path = temp.Write("x.safetensors", "not safetensors");
        var (exit, _, error) = Run("generate", "--checkpoint", path);
        Assert.Equal(2, exit);
        Assert.Contains("x.safetensors", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }
}
