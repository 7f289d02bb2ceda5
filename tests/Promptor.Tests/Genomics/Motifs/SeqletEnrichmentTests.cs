using Promptor.Genomics.Dna;
using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Motifs;

public class SeqletEnrichmentTests
{
    [Fact]
    public void BestScoreIsTheBestLogOddsPlacementOnEitherStrand()
    {
        var motif = Motif.FromConsensus("m", "ACG", match: 0.7f); // 0.7 on the consensus, 0.1 elsewhere
        float[] uniform = [0.25f, 0.25f, 0.25f, 0.25f];
        double hit = Math.Log2(0.7 / 0.25), miss = Math.Log2(0.1 / 0.25);

        Assert.Equal(3 * hit, SeqletEnrichment.BestScore(motif, "TTACGTT", uniform), 5);
        Assert.Equal(3 * hit, SeqletEnrichment.BestScore(motif, "TTCGTTT", uniform), 5);   // CGT = reverse complement of ACG
        Assert.Equal(2 * hit + miss, SeqletEnrichment.BestScore(motif, "TTAAGTT", uniform), 5);
        Assert.Equal(2 * hit, SeqletEnrichment.BestScore(Motif.FromConsensus("w", "ACGTACGT", match: 0.7f), "GT", uniform), 5); // wider than the window
        // Against an A/T-rich background an A counts for less.
        float[] atRich = [0.35f, 0.15f, 0.15f, 0.35f];
        Assert.Equal(Math.Log2(0.7 / 0.35) + 2 * Math.Log2(0.7 / 0.15), SeqletEnrichment.BestScore(motif, "ACG", atRich), 5);
    }

    [Fact]
    public void BaseFrequenciesCountLettersWithOnePseudocount()
    {
        Assert.Equal(new[] { 4f / 10, 2f / 10, 2f / 10, 2f / 10 }, SeqletEnrichment.BaseFrequencies(["AAAC", "GT"]), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void ControlWindowsAreTheLowImportanceTiles()
    {
        // Window 2, flank 1: tiles of 4 bp at 0, 4, 8; the track is high only under the middle tile's core.
        string sequence = "AAAACCCCGGGG";
        float[] track = [0, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0];

        var controls = SeqletExtractor.ControlWindows([sequence], [track], new SeqletOptions { WindowWidth = 2, Flank = 1 });

        Assert.Equal(["AAAA", "GGGG"], controls);
    }

    /// <summary>
    /// RRPE-like stretches cover a third of every sequence; a quarter of the sequences carry a REB1 site. The
    /// track marks every REB1 site and one random 9-bp stretch of every sequence (noise hotspots), which
    /// mostly overlap an RRPE stretch: RRPE makes the larger cluster, but only REB1 is specific to the marked
    /// places — RRPE is as common in the unmarked control windows.
    /// </summary>
    [Fact]
    public void AMotifSpecificToHotspotsOutranksALargerBackgroundCluster()
    {
        var g = new Generator(11);
        var rrpe = BuiltInMotifs.Rrpe;
        var reb1 = BuiltInMotifs.Reb1;
        var sequences = new List<string>();
        var tracks = new List<ImportanceTrack>();
        for (int n = 0; n < 160; n++)
        {
            var s = new char[150];
            for (int i = 0; i < s.Length; i++)
            {
                s[i] = "ACGT"[g.NextDouble() < 0.3 ? 1 + g.NextInt(2) : 3 * g.NextInt(2)];
            }
            var track = new float[s.Length];
            foreach (int start in new[] { 5, 30, 55, 80, 105 })
            {
                Plant(rrpe.Sample(g), start);
            }
            Mark(10 + g.NextInt(90), 9);
            if (n % 4 == 0)
            {
                Plant(reb1.Sample(g), 128);
                Mark(128, reb1.Width);
            }
            sequences.Add(new string(s));
            tracks.Add(new ImportanceTrack($"g{n}", "t", track));

            void Plant(string site, int start) => (g.NextDouble() < 0.5 ? site : ReverseComplement.Of(site)).CopyTo(0, s, start, site.Length);
            void Mark(int start, int width) => track.AsSpan(start, width).Fill(1f);
        }
        var byGene = tracks.Select((t, i) => (t.Gene, sequences[i])).ToDictionary(p => p.Gene, p => p.Item2);

        var bySize = MotifReport.Build(byGene, tracks, null, new MotifReportOptions { Ranking = MotifRanking.SeqletCount, TopMotifs = 2 });
        var byEnrichment = MotifReport.Build(byGene, tracks, null, new MotifReportOptions { TopMotifs = 2 });

        static bool IsReb1(Motif m) => m.Consensus().Contains("TACCCG", StringComparison.Ordinal) || m.Consensus().Contains("CGGGTA", StringComparison.Ordinal);
        Assert.False(IsReb1(bySize.Motifs[0].Motif), bySize.Motifs[0].Motif.Consensus());
        Assert.True(bySize.Motifs[0].SeqletCount > byEnrichment.Motifs[0].SeqletCount,
            string.Join("; ", bySize.Motifs.Concat(byEnrichment.Motifs).Select(m => $"{m.Motif.Consensus()} {m.SeqletCount} {m.Enrichment}")));
        var top = byEnrichment.Motifs[0];
        Assert.True(IsReb1(top.Motif), top.Motif.Consensus());
        Assert.Equal("t_m1", top.Motif.Id);
        Assert.NotNull(top.Enrichment);
        Assert.True(top.Enrichment.ControlFraction < 0.02 && top.Enrichment.Z > byEnrichment.Motifs[1].Enrichment!.Z,
            $"{top.Enrichment} vs {byEnrichment.Motifs[1].Enrichment}");
    }
}
