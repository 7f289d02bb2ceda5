using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionUpsamplerTests
{
    private static readonly ReceptiveField DefaultField = ReceptiveField.Of(new CondPromoterOptions { TreatmentCount = 1 });

    [Theory]
    [InlineData(null)]
    [InlineData(2.0)]
    [InlineData(40.0)]
    public void MapKeepsTheMassOfTheWeights(double? sigma)
    {
        var upsampler = new AttentionUpsampler(DefaultField, new AttentionMapOptions { SigmaBp = sigma });
        var g = new Generator(5);
        var weights = Enumerable.Range(0, upsampler.EncodedLength).Select(_ => g.NextSingle()).ToArray();
        double mass = weights.Sum(w => (double)w);

        var map = upsampler.Upsample(weights);

        Assert.Equal(1000, map.Length);
        Assert.Equal(mass, map.Sum(v => (double)v), 1e-3);
        Assert.All(map, v => Assert.True(v >= 0));
    }

    [Theory]
    [InlineData(0)]     // centre 7.5: the Gaussian is cut by the sequence start and renormalised
    [InlineData(20)]
    [InlineData(61)]    // the last position, centre 983.5
    public void OneHotAttentionLandsOnItsReceptiveFieldCentre(int position)
    {
        var upsampler = new AttentionUpsampler(DefaultField);
        var weights = new float[upsampler.EncodedLength];
        weights[position] = 1f;

        var map = upsampler.Upsample(weights);

        double centre = DefaultField.Centre(position);
        int peak = Array.IndexOf(map, map.Max());
        Assert.InRange(peak, Math.Floor(centre), Math.Ceiling(centre));
        Assert.Equal(1.0, map.Sum(v => (double)v), 1e-5);
        if (position == 20)
        {
            // Away from the ends the map is symmetric about the centre, so its mean position is the centre.
            double mean = map.Select((v, i) => (double)v * i).Sum();
            Assert.Equal(centre, mean, 1e-3);
            Assert.Equal(62 / 6.0, upsampler.Sigma, 1e-9);
        }
    }

    [Fact]
    public void UpsamplingIsLinear()
    {
        var upsampler = new AttentionUpsampler(DefaultField);
        var g = new Generator(9);
        var a = Enumerable.Range(0, upsampler.EncodedLength).Select(_ => g.NextSingle()).ToArray();
        var b = Enumerable.Range(0, upsampler.EncodedLength).Select(_ => g.NextSingle()).ToArray();

        var sum = upsampler.Upsample(a.Zip(b, (x, y) => x + 2 * y).ToArray());
        var parts = upsampler.Upsample(a).Zip(upsampler.Upsample(b), (x, y) => x + 2 * y).ToArray();

        for (int i = 0; i < sum.Length; i++)
        {
            Assert.Equal(parts[i], sum[i], 1e-5f);
        }
    }
}
