using Promptor.Genomics.Motifs;
using Promptor.Genomics.Simulation;

namespace Promptor.Tests.Genomics.Motifs;

public class MotifReportTests
{
    [Fact]
    public void TopMotifOfEachSimulatedTreatmentMatchesAPlantedMotif()
    {
        // Ground truth as the importance track: 1 on the bases of the sites that act under the treatment.
        var data = PromoterSimulator.Simulate(new SimulationOptions { SequenceCount = 200, SequenceLength = 120, TreatmentCount = 2, Seed = 4 });
        var tracks = new List<ImportanceTrack>();
        foreach (var gene in data.Sequences)
        {
            foreach (var treatment in data.Treatments)
            {
                var values = new float[gene.Length];
                foreach (var site in data.ActiveSites.Where(s => s.GeneId == gene.Id && s.Treatment == treatment.Name && s.Effect != 0))
                {
                    values.AsSpan(site.Start, site.End - site.Start).Fill(1f);
                }
                tracks.Add(new ImportanceTrack(gene.Id, treatment.Name, values));
            }
        }
        var database = MemeReader.Read(BundledData.PathOf("motifs/SwissRegulon_s_cer.meme")).Motifs
            .Concat(BuiltInMotifs.All.Select(m => m.WithId("planted_" + m.Id))).ToArray();

        var report = MotifReport.Build(data.Sequences.ToDictionary(s => s.Id, s => s.Sequence), tracks, database);

        var comparer = new MotifComparer(database);
        foreach (var treatment in data.Treatments)
        {
            var top = report.Motifs.First(m => m.Treatment == treatment.Name && m.Rank == 1);
            var matches = comparer.Compare(top.Motif);
            var active = treatment.MotifEffects.Keys.Select(id => "planted_" + id).ToHashSet();
            var best = matches.First(m => active.Contains(m.TargetId));
            Assert.True(best.QValue < 0.05 && matches.ToList().IndexOf(best) < 3,
                $"{treatment.Name}: {top.Motif.Consensus()} vs {best.TargetId}: q = {best.QValue:G3}, rank {matches.ToList().IndexOf(best) + 1}");
            Assert.NotNull(top.BestMatch);
            Assert.True(top.BestMatch.QValue < 0.05);
            Assert.Equal($"{treatment.Name}_m1", top.Motif.Id);
        }
    }

    [Fact]
    public void WritesTheTableAndTheMemeFile()
    {
        var data = PlantedMotifData.Create(BuiltInMotifs.Pac, count: 60, length: 80, fraction: 0.7, noise: 0.2f, seed: 2);
        var sequences = data.Sequences.Select((s, i) => ($"g{i}", s)).ToDictionary(p => p.Item1, p => p.s);
        var tracks = data.Tracks.Select((t, i) => new ImportanceTrack($"g{i}", "heat shock", t)).ToList();
        var report = MotifReport.Build(sequences, tracks, BuiltInMotifs.All, new MotifReportOptions { TopMotifs = 2 });
        using var temp = new TempDirectory();

        report.Write(temp.Path);

        var lines = File.ReadAllLines(temp.File(MotifReport.TableFileName));
        Assert.Equal("treatment\trank\tmotif_id\tconsensus\tseqlets\tbest_match_id\tbest_match_name\tp\tq", lines[0]);
        var first = lines[1].Split('\t');
        Assert.Equal(["heat shock", "1", "heat_shock_m1"], first[..3]);
        Assert.Equal("PAC", first[5]);
        Assert.Equal("Dot6/Tod6", first[6]);
        var meme = MemeReader.Read(temp.File(MotifReport.MemeFileName)).Motifs;
        Assert.Equal(lines.Skip(1).Select(l => l.Split('\t')[2]), meme.Select(m => m.Id));
        Assert.Equal(lines.Skip(1).Select(l => l.Split('\t')[3]), meme.Select(m => m.Consensus()));
        Assert.Equal(int.Parse(first[4]), (int)meme[0].Sites!.Value);
    }

    [Fact]
    public void UnknownTreatmentsAndMismatchedTracksAreRejected()
    {
        var sequences = new Dictionary<string, string> { ["g"] = "ACGTACGTAC" };
        var tracks = new List<ImportanceTrack> { new("g", "heat", new float[10]) };
        var ex = Assert.Throws<ArgumentException>(() => MotifReport.Build(sequences, tracks, null, treatments: ["cold"]));
        Assert.Contains("unknown treatment 'cold'", ex.Message);
        Assert.Throws<ArgumentException>(() => MotifReport.Build(sequences, [new("h", "heat", new float[10])], null));
        Assert.Throws<ArgumentException>(() => MotifReport.Build(sequences, [new("g", "heat", new float[9])], null));
    }
}
