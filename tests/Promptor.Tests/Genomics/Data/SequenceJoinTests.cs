using Promptor.Genomics.Data;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.Data;

public class SequenceJoinTests
{
    [Fact]
    public void KeepsTableOrderAndReportsBothSidesUnmatched()
    {
        var table = new ExpressionTable(["g3", "g1", "g9"], ["heat"], [3f, 1f, 9f]);
        var seqs = new[] { new FastaRecord("g1", "", "AC"), new FastaRecord("g2", "", "GG"), new FastaRecord("g3", "", "TT") };
        var joined = SequenceJoin.Join(table, seqs);
        Assert.Equal(["g3", "g1"], joined.Table.GeneIds);
        Assert.Equal(["TT", "AC"], joined.Sequences.Select(s => s.Sequence));
        Assert.Equal(2, joined.Report.Matched);
        Assert.Equal(["g9"], joined.Report.TableOnly);
        Assert.Equal(["g2"], joined.Report.SequenceOnly);
        Assert.Equal("joined 2 genes; 1 table genes without a sequence (g9); 1 sequences without expression (g2)", joined.Report.ToString());
    }
}
