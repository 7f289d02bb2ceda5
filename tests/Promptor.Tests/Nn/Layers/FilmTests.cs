using Promptor.Nn;
using Promptor.Nn.Init;
using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tests.Golden;
using Promptor.Tests.Tensors;

namespace Promptor.Tests.Nn.Layers;

public class FilmTests
{
    [Fact]
    public void MatchesPyTorchFilmWithLayerNorm()
    {
        var c = GoldenFixture.Case("film_pool", "film_layernorm");
        Assert.Equal("gamma_beta", c.String("split_order"));
        Assert.False(c.Bool("layer_norm_affine"));
        var film = new Film(c.Int("channels"), c.Int("cond_dim"), new Generator(1), eps: (float)c.Number("eps"));
        string[] names = ["film.weight", "film.bias"];
        Assert.Equal(names, film.NamedParameters().Select(p => p.Name));
        film.LoadStateDict(names.ToDictionary(n => n, n => NnTestUtil.Golden(c, n)));
        var h = NnTestUtil.Golden(c, "h");
        var cond = NnTestUtil.Golden(c, "cond");
        h.RequiresGrad = true;
        cond.RequiresGrad = true;

        var output = film.Forward(h, cond);
        var (gamma, beta) = film.Modulation(cond);
        output.Backward(NnTestUtil.Golden(c, "grad_out"));

        const double Atol = 1e-6, Rtol = 1e-4;
        GoldenAssert.Close(c.Data("out"), output.Data, Atol, Rtol, "film out");
        GoldenAssert.Close(c.Data("gamma"), gamma.Data, Atol, Rtol, "film gamma");
        GoldenAssert.Close(c.Data("beta"), beta.Data, Atol, Rtol, "film beta");
        GoldenAssert.Close(c.Data("grad_h"), h.Grad!.Data, Atol, Rtol, "film grad_h");
        GoldenAssert.Close(c.Data("grad_cond"), cond.Grad!.Data, Atol, Rtol, "film grad_cond");
        foreach (var (name, p) in film.NamedParameters())
        {
            GoldenAssert.Close(c.Data("grad_" + name), p.Grad!.Data, Atol, Rtol, "film grad_" + name);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientsMatchFiniteDifferences(bool normalize)
    {
        var film = new Film(4, 3, new Generator(2), normalize);
        var h = GradCheck.Random(1, 2, 3, 4);
        var cond = GradCheck.Random(2, 2, 3);
        GradCheck.Check(xs => film.Forward(xs[0], xs[1]), [h, cond]);
        ModuleGradCheck.Check(film, () => film.Forward(h, cond));
    }

    [Fact]
    public void PlainFilmIsGammaTimesHPlusBetaBroadcastOverT()
    {
        var film = new Film(2, 1, new Generator(3), normalize: false);
        float[] w = [2, -1, 0.5f, 3]; // gamma = (2, −1)·cond, beta = (0.5, 3)·cond
        w.CopyTo(film.Projection.Weight.Data, 0);
        film.Projection.Bias!.Data.AsSpan().Clear();
        var h = Tensor.FromArray([1, 2, 3, 4, 5, 6], 1, 3, 2);
        var y = film.Forward(h, Tensor.FromArray([2f], 1, 1));
        Assert.Equal([4 + 1, -4 + 6, 12 + 1, -8 + 6, 20 + 1, -12 + 6], y.ToArray());
    }

    [Fact]
    public void NormalisedFeaturesHaveZeroMeanUnitVarianceBeforeModulation()
    {
        var film = new Film(5, 2, new Generator(4));
        Initializers.Zeros(film.Projection.Weight);
        var bias = film.Projection.Bias!.Data;
        Array.Fill(bias, 1f, 0, 5); // gamma = 1
        Array.Fill(bias, 0f, 5, 5); // beta = 0
        var h = GradCheck.Random(5, 2, 3, 5) * 10f + 7f;
        var y = film.Forward(h, Tensor.Zeros(2, 2));
        var mean = y.Mean(-1).ToArray();
        var variance = y.Var(-1).ToArray();
        Assert.All(mean, m => Assert.Equal(0f, m, 4));
        Assert.All(variance, v => Assert.Equal(1f, v, 3));
    }

    [Fact]
    public void ImplementsIContextModuleAndChecksShapes()
    {
        IContextModule film = new Film(4, 3, new Generator(5));
        Assert.Equal([2, 6, 4], film.Forward(Tensor.Zeros(2, 6, 4), Tensor.Zeros(2, 3)).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => film.Forward(Tensor.Zeros(2, 6, 5), Tensor.Zeros(2, 3)));
        Assert.Throws<ArgumentException>(() => film.Forward(Tensor.Zeros(2, 6, 4), Tensor.Zeros(3, 3)));
        Assert.Throws<ArgumentException>(() => film.Forward(Tensor.Zeros(2, 6, 4), Tensor.Zeros(2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Film(4, 3, new Generator(5), eps: 0));
    }
}
