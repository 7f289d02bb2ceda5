namespace Promptor.Tests.Golden;

public class GoldenFixtureTests
{
    public static TheoryData<string> Groups()
    {
        var data = new TheoryData<string>();
        foreach (string path in System.IO.Directory.GetFiles(GoldenFixture.Directory, "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(path));
        return data;
    }

    [Fact]
    public void AllExpectedGroupsArePresent()
    {
        string[] expected =
        [
            "matmul", "conv1d", "pool1d", "layer_norm", "group_norm", "batch_norm",
            "softmax", "gelu", "losses", "mlp", "optim", "misc",
            "sdpa", "mha", "transformer", "positional", "film_pool", "additive",
        ];
        foreach (string group in expected)
            Assert.NotEmpty(GoldenFixture.Load(group).Cases);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void TensorDataLengthMatchesShape(string group)
    {
        var fixture = GoldenFixture.Load(group);
        Assert.Equal(group, fixture.Group);
        Assert.NotEmpty(fixture.Cases);
        Assert.Equal(fixture.Cases.Count, fixture.Cases.Select(c => c.Name).Distinct().Count());

        foreach (var c in fixture.Cases)
        {
            Assert.NotEmpty(c.TensorNames);
            foreach (string name in c.TensorNames)
            {
                long expected = 1;
                foreach (int d in c.Shape(name))
                    expected *= d;
                Assert.True(
                    c.Data(name).Length == expected,
                    $"{group}/{c.Name}: tensor '{name}' has {c.Data(name).Length} values, shape implies {expected}.");
            }

            foreach (string name in c.ParamNames)
            {
                if (!name.EndsWith("_shape", StringComparison.Ordinal))
                    continue;
                string list = name[..^"_shape".Length];
                long expected = 1;
                foreach (int d in c.Ints(name))
                    expected *= d;
                Assert.Equal(expected, c.Ints(list).Length);
            }
        }
    }

    [Fact]
    public void MissingKeysNameGroupCaseAndKey()
    {
        var c = GoldenFixture.Case("matmul", "2d_nn");
        Assert.False(c.Bool("trans_a"));
        Assert.Equal([3, 4], c.Shape("a"));

        var ex = Assert.Throws<KeyNotFoundException>(() => c.Data("nope"));
        Assert.Contains("matmul", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2d_nn", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => c.Number("nope"));
        Assert.Throws<KeyNotFoundException>(() => GoldenFixture.Case("matmul", "nope"));
    }

    [Fact]
    public void ParamAccessorsReadEachKind()
    {
        var same = GoldenFixture.Case("conv1d", "same_k4_even");
        Assert.Equal("same", same.String("padding"));
        Assert.Equal(1, GoldenFixture.Case("conv1d", "pad1_stride2").Int("padding"));
        Assert.False(GoldenFixture.Case("conv1d", "no_bias").Has("bias"));

        var ce = GoldenFixture.Case("losses", "ce_ignore_index");
        Assert.Equal(-100, ce.Int("ignore_index"));
        Assert.Contains(-100, ce.Ints("targets"));
        Assert.Empty(ce.Shape("loss"));
        Assert.Equal(0.01, GoldenFixture.Case("optim", "adam").Number("lr"));
    }

    [Fact]
    public void CloseReportsFirstMismatch()
    {
        float[] expected = [1f, 2f, 3f];
        GoldenAssert.Close(expected, [1f, 2.000001f, 3f], 1e-5, 1e-5, "ok");
        var ex = Assert.ThrowsAny<Exception>(() => GoldenAssert.Close(expected, [1f, 2.5f, 3f], 1e-5, 1e-5, "probe"));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("probe", ex.Message, StringComparison.Ordinal);
    }
}
