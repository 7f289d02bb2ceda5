using Promptor.Genomics.Data;

namespace Promptor.Tests.Genomics.Data;

public class YeastStressTaskTests
{
    [Fact]
    public void BundledTaskHasThePlannedSizes()
    {
        var task = BundledData.Task;
        var ds = task.Dataset;
        Assert.Equal(5_618, ds.Count);                   // 6,150 expressed genes ∩ 5,870 promoters
        Assert.Equal(5_618, task.Join.Matched);
        Assert.Equal(532, task.Join.UnmatchedTableGenes);
        Assert.Equal(252, task.Join.UnmatchedSequences);
        Assert.Equal(1_000, ds.SequenceLength);
        Assert.Equal(34, ds.TreatmentCount);
        Assert.Equal([5_618, 1_000, 4], ds.Sequences.Shape.Dims.ToArray());
        Assert.Equal((4_385, 509, 724), (task.Split.Train.Length, task.Split.Validation.Length, task.Split.Test.Length));
    }

    [Fact]
    public void ChromosomeSplitPutsEveryChromosomeFourGeneInTest()
    {
        var task = BundledData.Task;
        var ids = task.Dataset.GeneIds;
        for (int i = 0; i < ids.Count; i++)
        {
            var expected = ids[i][1] == 'D' ? DataSplit.Test : ids[i][1] == 'O' ? DataSplit.Validation : DataSplit.Train;
            Assert.Equal(expected, task.Split.Labels[i]);
        }
    }

    [Fact]
    public void TargetsAndMaskAgreeWithTheTimeCourseTable()
    {
        var task = BundledData.Task;
        var ds = task.Dataset;
        int row = ds.GeneIds.ToList().IndexOf("YFL014W");
        int heat15 = ds.Treatments.ToList().IndexOf("Heat 15'");
        Assert.True(ds.Targets[row, heat15] > 2f);
        Assert.Equal(1f, ds.Mask[row, heat15]);
        var table = task.TimeCourse.Targets;
        for (int i = 0; i < ds.Count; i += 97)
        {
            int g = table.IndexOfGene(ds.GeneIds[i]);
            for (int t = 0; t < ds.TreatmentCount; t++)
            {
                Assert.Equal(table.IsObserved(g, t) ? 1f : 0f, ds.Mask[i, t]);
                Assert.Equal(table.IsObserved(g, t) ? table[g, t] : 0f, ds.Targets[i, t]);
            }
        }
        Assert.Contains(ds.Mask.Data, m => m == 0f);
        Assert.Equal(task.Promoters.Select(p => p.Id), ds.GeneIds);
        // Short promoters (clipped at chromosome ends) are padded with N on the 5' side.
        int shortRow = task.Promoters.ToList().FindIndex(p => p.Length < 1_000);
        Assert.True(shortRow >= 0);
        Assert.Equal(0.25f, ds.Sequences[shortRow, 0, 0]);
    }
}
