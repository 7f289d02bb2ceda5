using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class SeqletExtractorTests
{
    [Fact]
    public void WindowSumsOfASmallTrack()
    {
        Assert.Equal([3.0, 5.0, 7.0], SeqletExtractor.WindowSums([1, 2, 3, 4], 2, absoluteValues: false));
        Assert.Equal([-1.0, 1.0], SeqletExtractor.WindowSums([1, -2, 3], 2, absoluteValues: false));
        Assert.Equal([3.0, 5.0], SeqletExtractor.WindowSums([1, -2, 3], 2));
        Assert.Empty(SeqletExtractor.WindowSums([1], 2));
    }

    [Fact]
    public void HotspotsBecomeNonOverlappingSeqletsWithFlanks()
    {
        string sequence = new('A', 40);
        var track = new float[40];
        track.AsSpan(10, 4).Fill(1f);   // strongest hotspot: window of 4 at 10
        track.AsSpan(16, 4).Fill(0.8f); // second: would overlap the first seqlet's flank → dropped
        track.AsSpan(30, 4).Fill(0.6f); // third: separate
        track.AsSpan(0, 2).Fill(2f);    // too close to the start for a full flank

        var seqlets = SeqletExtractor.Extract([sequence], [track], new SeqletOptions { WindowWidth = 4, Flank = 3, Threshold = 2.0 });

        Assert.Equal([(7, 10, 4.0), (27, 10, 2.4)], seqlets.Select(s => (s.Start, s.Length, Math.Round(s.Score, 4))));
        Assert.All(seqlets, s => Assert.Equal(sequence.Substring(s.Start, s.Length), s.Bases));
    }

    [Fact]
    public void QuantileThresholdAndBadInput()
    {
        var track = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        var seqlets = SeqletExtractor.Extract([new string('C', 100)], [track], new SeqletOptions { WindowWidth = 1, Flank = 0, ThresholdMethod = SeqletThreshold.ObservedQuantile, Quantile = 0.95, MaxPerSequence = 100 });
        Assert.Equal(5, seqlets.Count); // values ≥ the 0.95 quantile 94.05: 95..99
        Assert.Equal(99, seqlets[0].Start);
        Assert.Throws<ArgumentException>(() => SeqletExtractor.Extract(["ACGT"], [new float[3]]));
        Assert.Throws<ArgumentException>(() => SeqletExtractor.Extract(["ACGT", "ACGT"], [new float[4]]));
        Assert.Throws<ArgumentException>(() => SeqletExtractor.Extract(["ACGT"], [[0, float.NaN, 0, 0]], new SeqletOptions { WindowWidth = 2, Flank = 0 }));
    }

    [Fact]
    public void ShuffledNullThresholdFindsEveryClusteredHotspot()
    {
        // Ten hotspots of 6 bases at 1.0 in 200 bases of 0.1: 30 % of the windows overlap a hotspot, so a
        // 0.99 quantile of the observed sums would miss most, while shuffling scatters the 1.0 values.
        var track = Enumerable.Repeat(0.1f, 200).ToArray();
        for (int k = 0; k < 10; k++)
        {
            track.AsSpan(10 + 19 * k, 6).Fill(1f + 0.01f * k);
        }
        var options = new SeqletOptions { WindowWidth = 6, Flank = 2, MaxPerSequence = 20 };

        var seqlets = SeqletExtractor.Extract([new string('G', 200)], [track], options);
        var observed = SeqletExtractor.Extract([new string('G', 200)], [track], options with { ThresholdMethod = SeqletThreshold.ObservedQuantile });

        Assert.Equal(Enumerable.Range(0, 10).Select(k => 8 + 19 * k), seqlets.Select(s => s.Start).Order());
        Assert.True(observed.Count < 10);
    }
}
