using Promptor.Genomics.Generative;

namespace Promptor.Tests.Genomics.Generative;

public class KmerSpectrumTests
{
    [Fact]
    public void CountsOverlappingWindowsOfBases()
    {
        var f = KmerSpectrum.Frequencies(["AAAC", "GNAA"], k: 2);
        // AA, AA, AC from the first; AA from the second ("GN" and "NA" are skipped).
        Assert.Equal(16, f.Length);
        Assert.Equal(0.75, f[0], 12);          // AA
        Assert.Equal(0.25, f[1], 12);          // AC
        Assert.Equal(1.0, f.Sum(), 12);
    }

    [Fact]
    public void DistancesRangeFromZeroToOne()
    {
        var a = KmerSpectrum.Frequencies(["AAAAAA"], 2);
        var c = KmerSpectrum.Frequencies(["CCCCCC"], 2);
        var mixed = KmerSpectrum.Frequencies(["AAAAAA", "CCCCCC"], 2);
        Assert.Equal(0, KmerSpectrum.TotalVariation(a, a));
        Assert.Equal(1, KmerSpectrum.TotalVariation(a, c), 12);
        Assert.Equal(0.5, KmerSpectrum.TotalVariation(a, mixed), 12);
        Assert.Equal(0, KmerSpectrum.JensenShannon(a, a), 12);
        Assert.Equal(1, KmerSpectrum.JensenShannon(a, c), 12);
        Assert.Throws<ArgumentException>(() => KmerSpectrum.TotalVariation(a, KmerSpectrum.Frequencies(["AAA"], 3)));
    }
}
