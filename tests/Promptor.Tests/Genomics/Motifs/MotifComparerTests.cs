using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Motifs;

public class MotifComparerTests
{
    private static readonly Lazy<IReadOnlyList<Motif>> s_swissRegulon = new(() => MemeReader.Read(BundledData.PathOf("motifs/SwissRegulon_s_cer.meme")).Motifs);

    [Fact]
    public void ColumnSimilaritiesOfSmallExamples()
    {
        float[] a = [1, 0, 0, 0], c = [0, 1, 0, 0], uniform = [0.25f, 0.25f, 0.25f, 0.25f], soft = [0.7f, 0.1f, 0.1f, 0.1f];
        Assert.Equal(1, ColumnSimilarity.Score(ColumnMetric.Pearson, a, a), 12);
        Assert.Equal(1, ColumnSimilarity.Score(ColumnMetric.Pearson, a, soft), 6); // same shape, less sharp
        Assert.Equal(-1.0 / 3, ColumnSimilarity.Score(ColumnMetric.Pearson, a, c), 6);
        Assert.Equal(0, ColumnSimilarity.Score(ColumnMetric.Pearson, a, uniform));
        Assert.Equal(-Math.Sqrt(2), ColumnSimilarity.Score(ColumnMetric.Euclidean, a, c), 6);
        Assert.Equal(0, ColumnSimilarity.Score(ColumnMetric.Euclidean, soft, soft));
        Assert.Equal(0, ColumnSimilarity.Score(ColumnMetric.SandelinWasserman, a, c), 6);
        Assert.Equal(2 - 0.12, ColumnSimilarity.Score(ColumnMetric.SandelinWasserman, a, soft), 5);
    }

    [Fact]
    public void BenjaminiHochbergOfAHandExample()
    {
        var q = FalseDiscoveryRate.BenjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
        Assert.Equal([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5], q, (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Throws<ArgumentException>(() => FalseDiscoveryRate.BenjaminiHochberg([1.5]));
    }

    [Theory]
    [InlineData(ColumnMetric.Pearson)]
    [InlineData(ColumnMetric.Euclidean)]
    [InlineData(ColumnMetric.SandelinWasserman)]
    public void FindsItselfAndItsReverseComplementAmongShuffledDecoys(ColumnMetric metric)
    {
        var g = new Generator(11);
        var query = BuiltInMotifs.Pac.WithId("query");
        var database = new List<Motif> { query.WithId("self"), query.ReverseComplement().WithId("self_rc") };
        // Decoys: real yeast motifs with their columns shuffled, plus shuffles of the query itself.
        database.AddRange(s_swissRegulon.Value.Take(60).Select((m, i) => RandomMotifs.ShuffledColumns(g, m, $"decoy{i}")));
        database.AddRange(Enumerable.Range(0, 5).Select(i => RandomMotifs.ShuffledColumns(g, query, $"shuffled_query{i}")));

        var matches = new MotifComparer(database, new MotifComparisonOptions { Metric = metric }).Compare(query);

        Assert.Equal(database.Count, matches.Count);
        Assert.Equal(("self", Strand.Plus, 0, 8), (matches[0].TargetId, matches[0].Strand, matches[0].Offset, matches[0].Overlap));
        Assert.Equal(("self_rc", Strand.Minus, 0, 8), (matches[1].TargetId, matches[1].Strand, matches[1].Offset, matches[1].Overlap));
        Assert.True(matches[0].QValue < 0.05, $"q = {matches[0].QValue}");
        Assert.True(matches[1].QValue < 0.05, $"q = {matches[1].QValue}");
        Assert.Equal(matches[0].PValue * database.Count, matches[0].EValue, 12);
        Assert.All(matches.Skip(2), m => Assert.True(m.PValue > matches[1].PValue));
        Assert.True(matches.Zip(matches.Skip(1)).All(p => p.First.PValue <= p.Second.PValue), "ranked by p");
    }

    [Fact]
    public void OffsetsAndOverlapOfAPartialMatch()
    {
        // The target holds the query's last 5 columns at its start: target column j sits under query column j + 3.
        var query = Motif.FromConsensus("q", "CCGTTACTAA");
        var g = new Generator(3);
        var database = new List<Motif> { Motif.FromConsensus("t", "TACTAAGG") };
        database.AddRange(s_swissRegulon.Value.Take(60).Select((m, i) => RandomMotifs.ShuffledColumns(g, m, $"decoy{i}")));

        var top = new MotifComparer(database).Compare(query)[0];

        Assert.Equal(("t", Strand.Plus), (top.TargetId, top.Strand));
        Assert.Equal(4, top.Offset);
        Assert.Equal(6, top.Overlap);
    }

    [Fact]
    public void StreCoreMatchesMsn2AndMsn4InTheBundledYeastDatabase()
    {
        // AGGGG is also bound by other C2H2 zinc fingers of the database (Gis1, Rph1, Usv1, Rgm1…), so Msn2/4
        // need not come first, but both must be significant and aligned on AGGGG.
        var stre = Motif.FromConsensus("STRE", "AGGGG");

        var matches = new MotifComparer(s_swissRegulon.Value).Compare(stre);

        foreach (var id in (string[])["MSN2", "MSN4"])
        {
            int rank = matches.ToList().FindIndex(m => m.TargetId == id);
            var m = matches[rank];
            Assert.True(m.QValue < 0.05 && rank < 10, $"{id}: rank {rank + 1}, p = {m.PValue:G3}, q = {m.QValue:G3}");
            Assert.Equal((Strand.Plus, -2, 5), (m.Strand, m.Offset, m.Overlap)); // MSN2/4 = [TA]AAGGGG: AGGGG starts at column 2
        }
        // The extended built-in STRE (TAAGGGGA) puts Msn2 or Msn4 first.
        var extended = new MotifComparer(s_swissRegulon.Value).Compare(BuiltInMotifs.Stre);
        Assert.Equal(["MSN2", "MSN4"], extended.Take(2).Select(m => m.TargetId).Order());
        Assert.All(extended.Take(2), m => Assert.True(m.QValue < 0.05));
    }

    [Theory]
    [InlineData(ColumnMetric.Pearson)]
    [InlineData(ColumnMetric.Euclidean)]
    public void PValuesOfRandomMotifsAreRoughlyUniform(ColumnMetric metric)
    {
        // Under the null (targets of random columns), P(p ≤ α) should be about α. The correction for the best
        // of several offsets is Šidák's, exact for independent offsets and conservative otherwise.
        var g = new Generator(5);
        var database = Enumerable.Range(0, 80).Select(i => RandomMotifs.Dirichlet(g, $"t{i}", 6 + g.NextInt(7))).ToArray();
        var comparer = new MotifComparer(database, new MotifComparisonOptions { Metric = metric });
        var p = new List<double>();
        for (int q = 0; q < 25; q++)
        {
            p.AddRange(comparer.Compare(RandomMotifs.Dirichlet(g, $"q{q}", 6 + g.NextInt(7))).Select(m => m.PValue));
        }
        foreach (double alpha in (double[])[0.01, 0.05, 0.1, 0.25, 0.5, 0.75])
        {
            double fraction = p.Count(x => x <= alpha) / (double)p.Count;
            Assert.True(Math.Abs(fraction - alpha) <= 0.1 * alpha + 0.02, $"P(p ≤ {alpha}) = {fraction:0.000}");
        }
    }

    [Fact]
    public void PValueEqualsABruteForceCountOverAllTargetsOfDatabaseColumns()
    {
        // Width-2 query and targets, overlap 2: one offset per strand. The null P(S ≥ s) is the fraction of
        // all ordered pairs of database columns (both strands) whose scaled scores sum to at least s; the
        // per-target p-value corrects the better strand for its 2 alignments: 1 − (1 − p)².
        var g = new Generator(8);
        var database = Enumerable.Range(0, 4).Select(i => RandomMotifs.Dirichlet(g, $"t{i}", 2)).ToArray();
        var query = RandomMotifs.Dirichlet(g, "q", 2);
        const int bins = 100;
        var pool = database.Concat(database.Select(m => m.ReverseComplement()))
            .SelectMany(m => Enumerable.Range(0, 2).Select(j => m.Probabilities.Slice(j * 4, 4).ToArray())).ToArray();
        double Raw(int i, float[] column) => ColumnSimilarity.Score(ColumnMetric.Pearson, query.Probabilities.Slice(i * 4, 4), column);
        var all = Enumerable.Range(0, 2).SelectMany(i => pool.Select(c => Raw(i, c))).ToArray();
        double min = all.Min(), max = all.Max();
        int Scaled(int i, float[] column) => (int)Math.Round((Raw(i, column) - min) * bins / (max - min));
        double Tail(int s) => pool.SelectMany(a => pool.Select(b => Scaled(0, a) + Scaled(1, b))).Count(x => x >= s) / (double)(pool.Length * pool.Length);

        var matches = new MotifComparer(database, new MotifComparisonOptions { MinOverlap = 2, Bins = bins }).Compare(query);

        foreach (var target in database)
        {
            double best = new[] { target, target.ReverseComplement() }
                .Min(t => Tail(Scaled(0, t.Probabilities.Slice(0, 4).ToArray()) + Scaled(1, t.Probabilities.Slice(4, 4).ToArray())));
            var match = matches.Single(m => m.TargetId == target.Id);
            Assert.Equal(1 - (1 - best) * (1 - best), match.PValue, 9);
            Assert.Equal((0, 2), (match.Offset, match.Overlap));
        }
        var counter = new MotifComparer(database, new MotifComparisonOptions { MinOverlap = 2 });
        Assert.Equal((2, 10), (counter.AlignmentCount(3, 2), counter.AlignmentCount(5, 8))); // offsets 0..1; -6..3
    }

    [Fact]
    public void RejectsBadDatabasesAndOptions()
    {
        Assert.Throws<ArgumentException>(() => new MotifComparer([]));
        Assert.Throws<ArgumentException>(() => new MotifComparer([BuiltInMotifs.Stre, BuiltInMotifs.Stre]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MotifComparer([BuiltInMotifs.Stre], new MotifComparisonOptions { MinOverlap = 0 }));
    }
}
