using Promptor.Genomics.Chemistry;

namespace Promptor.Tests.Genomics.Chemistry;

public class MoleculeMetricsTests
{
    [Fact]
    public void ValidUniqueNovelFollowTheDefinitions()
    {
        string[] generated = ["CCO", "OCC", "C(C)O", "C1CC", "c1ccccc1", "c1ccccc1", "CC(=O)O", "c1cccc1"];
        string[] training = ["c1ccccc1", "OC(C)=O", "N#N"];
        var r = MoleculeMetrics.Compute(generated, training);
        Assert.Equal((8, 6, 3, 1), (r.Count, r.Valid, r.Unique, r.Novel));
        Assert.Equal(6 / 8.0, r.ValidFraction);
        Assert.Equal(3 / 6.0, r.UniqueFraction);
        Assert.Equal(1 / 3.0, r.NovelFraction);
        Assert.True(r.HasTraining);
    }

    [Fact]
    public void WithoutTrainingNoveltyIsZeroAndEmptyInputIsZero()
    {
        var r = MoleculeMetrics.Compute(["CC", "CC"]);
        Assert.Equal((2, 2, 1, 0, false), (r.Count, r.Valid, r.Unique, r.Novel, r.HasTraining));
        var empty = MoleculeMetrics.Compute([], ["CC"]);
        Assert.Equal((0.0, 0.0, 0.0), (empty.ValidFraction, empty.UniqueFraction, empty.NovelFraction));
    }

    [Fact]
    public void TrainingSetIsNeverNovelAgainstItself()
    {
        var sample = SmilesFixtures.Tox21Sample.Take(100).ToList();
        var training = MoleculeMetrics.CanonicalSet(sample);
        var r = MoleculeMetrics.Compute(sample, training);
        Assert.Equal((100, 100, 100, 0), (r.Count, r.Valid, r.Unique, r.Novel));
    }
}
