using Promptor.Genomics.Data;
using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;

namespace Promptor.Tests.Genomics.Simulation;

public class PromoterSimulatorTests
{
    private static readonly SimulationOptions s_options = new()
    {
        SequenceCount = 200,
        SequenceLength = 150,
        TreatmentCount = 3,
        InteractionsPerTreatment = 1,
        Seed = 42,
    };

    [Fact]
    public void SameSeedSameDataOtherSeedOtherData()
    {
        var a = PromoterSimulator.Simulate(s_options);
        var b = PromoterSimulator.Simulate(s_options);
        var c = PromoterSimulator.Simulate(s_options with { Seed = 43 });
        Assert.Equal(a.Sequences, b.Sequences);
        Assert.Equal(a.Sites, b.Sites);
        Assert.Equal(a.Expression.Values.ToArray(), b.Expression.Values.ToArray());
        Assert.NotEqual(a.Sequences.Select(s => s.Sequence), c.Sequences.Select(s => s.Sequence));
    }

    [Fact]
    public void PlantedSitesMatchTheSequenceContent()
    {
        var options = s_options with { Motifs = [Motif.FromConsensus("P", "GCGATGAG", match: 1f), Motif.FromConsensus("Y", "TTACTAA", match: 1f)], SitesPerMotif = 1.0 };
        var data = PromoterSimulator.Simulate(options);
        var byId = data.Sequences.ToDictionary(s => s.Id, s => s.Sequence);
        Assert.True(data.Sites.Count > 200);
        Assert.Contains(data.Sites, s => s.Strand == Strand.Minus);
        foreach (var s in data.Sites)
        {
            string actual = byId[s.GeneId][s.Start..s.End];
            Assert.Equal(s.Sequence, actual);
            string consensus = s.MotifId == "P" ? "GCGATGAG" : "TTACTAA";
            Assert.Equal(consensus, s.Strand == Strand.Plus ? actual : ReverseComplement.Of(actual));
        }
        foreach (var group in data.Sites.GroupBy(s => s.GeneId))
        {
            var sorted = group.OrderBy(s => s.Start).ToArray();
            for (int i = 1; i < sorted.Length; i++)
            {
                Assert.True(sorted[i].Start >= sorted[i - 1].End, "sites do not overlap");
            }
        }
    }

    [Fact]
    public void NoiselessResponseIsTheSumOfEffectsAndNoiseIsAdded()
    {
        var data = PromoterSimulator.Simulate(s_options);
        Assert.Equal(3, data.Treatments.Count);
        Assert.All(data.Treatments, t => Assert.Equal(2, t.MotifEffects.Count));
        int withInteraction = 0;
        for (int g = 0; g < data.Sequences.Count; g++)
        {
            string id = data.Sequences[g].Id;
            var sites = data.Sites.Where(s => s.GeneId == id).ToArray();
            var present = sites.Select(s => s.MotifId).ToHashSet();
            for (int t = 0; t < data.Treatments.Count; t++)
            {
                var spec = data.Treatments[t];
                double expected = sites.Sum(s => spec.EffectOf(s.MotifId));
                foreach (var term in spec.InteractionTerms.Where(x => present.Contains(x.MotifA) && present.Contains(x.MotifB)))
                {
                    expected += term.Effect;
                    withInteraction++;
                }
                Assert.Equal(expected, data.Noiseless[g, t], 4);
                var active = data.ActiveSites.Where(a => a.GeneId == id && a.Treatment == spec.Name).ToArray();
                Assert.Equal(sites.Sum(s => spec.EffectOf(s.MotifId)), active.Sum(a => a.Effect), 4);
            }
        }
        Assert.True(withInteraction > 0);
        var diff = Enumerable.Range(0, data.Expression.Values.Length).Select(i => data.Expression.Values[i] - data.Noiseless.Values[i]).ToArray();
        double sd = Math.Sqrt(diff.Select(d => (double)d * d).Average());
        Assert.InRange(sd, 0.25, 0.35); // NoiseStd 0.3
    }

    [Fact]
    public void ExplicitTreatmentsControlWhichMotifsAct()
    {
        var options = new SimulationOptions
        {
            SequenceCount = 50,
            SequenceLength = 100,
            Seed = 3,
            NoiseStd = 0f,
            Treatments =
            [
                new TreatmentSpec("peroxide", new Dictionary<string, float> { ["YRE"] = 2f, ["STRE"] = 1f }),
                new TreatmentSpec("heat", new Dictionary<string, float> { ["STRE"] = 1f }),
            ],
        };
        var data = PromoterSimulator.Simulate(options);
        Assert.Equal(data.Noiseless.Values.ToArray(), data.Expression.Values.ToArray());
        Assert.DoesNotContain(data.ActiveSites, a => a.Treatment == "heat" && a.MotifId == "YRE");
        Assert.Contains(data.ActiveSites, a => a.Treatment == "peroxide" && a.MotifId == "YRE");
        Assert.Throws<ArgumentException>(() => PromoterSimulator.Simulate(options with
        {
            Treatments = [new TreatmentSpec("x", new Dictionary<string, float> { ["NOPE"] = 1f })],
        }));
    }

    [Fact]
    public void BackgroundFollowsTheGcContent()
    {
        var data = PromoterSimulator.Simulate(new SimulationOptions { SequenceCount = 100, SequenceLength = 500, SitesPerMotif = 0, GcContent = 0.6, Seed = 9 });
        double gc = data.Sequences.Average(s => s.Sequence.Count(c => c is 'G' or 'C') / (double)s.Length);
        Assert.InRange(gc, 0.58, 0.62);
    }

    [Fact]
    public void WriterWritesReadableFilesAndRefusesToOverwrite()
    {
        using var dir = new TempDirectory();
        var data = PromoterSimulator.Simulate(s_options);
        SimulationWriter.Write(dir.Path, data);
        Assert.Equal(data.Sequences, FastaReader.Read(dir.File("sequences.fa")));
        var table = ExpressionTableReader.ReadWide(dir.File("expression.tsv"));
        Assert.Equal(data.Expression.Values.ToArray(), table.Values.ToArray());
        var bed = BedReader.Read(dir.File("sites.bed"));
        Assert.Equal(data.Sites.Select(s => (s.GeneId, s.Start, s.End, s.MotifId, s.Strand)), bed.Select(b => (b.Chrom, b.Start, b.End, b.Name!, b.Strand)));
        Assert.Equal(data.ActiveSites.Count + 1, File.ReadAllLines(dir.File("ground_truth.tsv")).Length);
        Assert.Equal(data.Motifs.Count, MemeReader.Read(dir.File("motifs.meme")).Motifs.Count);
        Assert.Throws<IOException>(() => SimulationWriter.Write(dir.Path, data));
        SimulationWriter.Write(dir.Path, data, overwrite: true);
    }
}
