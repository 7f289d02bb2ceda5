using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Tests.Genomics.Motifs;

public class SeqletClustererTests
{
    [Fact]
    public void ClustersAlignSeqletsOfBothStrands()
    {
        // Three copies of TTACCCGG on the plus strand, three on the minus strand, shifted by one or two bases.
        string[] bases = ["GATTACCCGGAT", "ATTACCCGGACG", "CGTTACCCGGTC", "ACCGGGTAAGAT", "TCCGGGTAACGA", "GTCCGGGTAATC"];
        var seqlets = bases.Select((b, i) => new Seqlet(i, 0, b.Length, 10 - i, b)).ToArray();

        var clusters = SeqletClusterer.Cluster(seqlets, coreStart: 2, coreWidth: 8, new SeqletClusteringOptions { MaxShift = 2 });

        var cluster = Assert.Single(clusters);
        Assert.Equal(6, cluster.SeqletCount);
        Assert.Equal(3, cluster.Members.Count(m => m.Strand == Strand.Minus));
        Assert.Contains("TTACCCGG", cluster.Motif.Consensus());
        Assert.Equal(6, cluster.Motif.Sites);
        Assert.Equal("motif1", cluster.Motif.Id);
    }

    [Fact]
    public void UnrelatedSeqletsStaySeparateAndSmallClustersAreDropped()
    {
        string[] bases = ["AAGCGATGAGAA", "TTGCGATGAGTT", "CCGCGATGAGCC", "ATACGCGTATAT"];
        var seqlets = bases.Select((b, i) => new Seqlet(i, 0, b.Length, 1, b)).ToArray();

        var clusters = SeqletClusterer.Cluster(seqlets, 2, 8, new SeqletClusteringOptions { MaxShift = 2, MinSeqlets = 2 });

        var cluster = Assert.Single(clusters);
        Assert.Equal(3, cluster.SeqletCount);
        Assert.Equal("GCGATGAG", cluster.Motif.Consensus());
    }

    [Fact]
    public void TopPwmFromAPlantedMotifMatchesItInTheDatabase()
    {
        var planted = BuiltInMotifs.Reb1;
        var data = PlantedMotifData.Create(planted, count: 80, length: 100, fraction: 0.6, noise: 0.3f, seed: 7);
        var options = new SeqletOptions();

        var seqlets = SeqletExtractor.Extract(data.Sequences, data.Tracks, options);
        var clusters = SeqletClusterer.Cluster(seqlets, options.Flank, options.WindowWidth);

        var top = clusters[0];
        Assert.True(top.SeqletCount >= 0.8 * data.Sites.Length, $"{top.SeqletCount} of {data.Sites.Length} sites");
        var database = MemeReader.Read(BundledData.PathOf("motifs/SwissRegulon_s_cer.meme")).Motifs
            .Append(planted.WithId("planted")).ToArray();
        var matches = new MotifComparer(database).Compare(top.Motif);
        var match = matches.First(m => m.TargetId == "planted");
        Assert.True(match.QValue < 0.05, $"q = {match.QValue}, consensus {top.Motif.Consensus()}");
        Assert.Contains(matches.Take(2), m => m.TargetId == "planted");
        Assert.True(matches.First(m => m.TargetId == "REB1").QValue < 0.05); // the database's own Reb1 motif
    }

    [Fact]
    public void AMotifLongerThanTheWindowEndsUpInOneCluster()
    {
        // Rap1's 11-bp site is longer than the 8-bp window: windows catch different parts of it, and the
        // clusters they seed are merged back into one.
        var data = PlantedMotifData.Create(BuiltInMotifs.Rap1, count: 120, length: 100, fraction: 0.7, noise: 0.2f, seed: 9);
        var options = new SeqletOptions();
        var seqlets = SeqletExtractor.Extract(data.Sequences, data.Tracks, options);

        var merged = SeqletClusterer.Cluster(seqlets, options.Flank, options.WindowWidth);
        var separate = SeqletClusterer.Cluster(seqlets, options.Flank, options.WindowWidth, new SeqletClusteringOptions { MergeSimilarity = 2 });

        Assert.True(merged[0].SeqletCount >= 0.9 * data.Sites.Length, $"merged: {string.Join(", ", merged.Select(c => $"{c.Motif.Consensus()} ({c.SeqletCount})"))}; sites {data.Sites.Length}");
        Assert.True(separate.Count > merged.Count, $"separate: {string.Join(", ", separate.Select(c => $"{c.Motif.Consensus()} ({c.SeqletCount})"))}");
        Assert.Contains("ACACCCATACA", merged[0].Motif.Consensus() + "|" + merged[0].Motif.ReverseComplement().Consensus());
    }
}
