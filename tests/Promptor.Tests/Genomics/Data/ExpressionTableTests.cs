using Promptor.Genomics.Data;

namespace Promptor.Tests.Genomics.Data;

public class ExpressionTableTests
{
    [Fact]
    public void RejectsDuplicateGenesAndInfiniteValues()
    {
        Assert.Throws<ArgumentException>(() => new ExpressionTable(["a", "a"], ["x"], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => new ExpressionTable(["a"], ["x"], [float.PositiveInfinity]));
    }

    [Fact]
    public void ExplicitMaskTurnsUnobservedCellsIntoNaN()
    {
        var t = new ExpressionTable(["a", "b"], ["x", "y"], [1f, 2f, 3f, 4f], [true, false, true, true]);
        Assert.True(float.IsNaN(t[0, 1]));
        var sub = t.SelectGenes([1]).SelectConditions([1, 0]);
        Assert.Equal(["b"], sub.GeneIds);
        Assert.Equal(["y", "x"], sub.Conditions);
        Assert.Equal([4f, 3f], sub.Values.ToArray());
    }
}
