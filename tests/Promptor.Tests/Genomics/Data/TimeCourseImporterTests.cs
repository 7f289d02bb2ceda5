using Promptor.Genomics.Data;
using Promptor.Genomics.IO;

namespace Promptor.Tests.Genomics.Data;

public class TimeCourseImporterTests
{
    private const string Call = "\"Call:1=P, 0=A\"";

    private static TimeCourseData Import(string text) => TimeCourseImporter.Import(new StringReader(text), "causton.txt");

    [Fact]
    public void ComputesLogRatiosAgainstTheMeanOfTheCourseReferences()
    {
        string text = $"ORF\tGene\tHeat 0' (A)\t{Call}\tHeat 0' (B)\t{Call}\tHeat 15'\t{Call}\t30'\t{Call}\tNaCl 0'\t{Call}\tNaCl 15'\t{Call}\n"
            + "YFL014W\tHSP12\t100\t1\t300\t1\t800\t1\t10\t0\t40\t1\t\t\n"
            + "YAL001C\tTFC3\t20\t0\t30\t0\t40\t0\t50\t0\t20\t0\t20\t0\n"   // all ≤ 50: dropped
            + "YAL002W\tVPS8\t\t\t60\t1\t120\t1\t60\t1\t\t\t90\t1\n";
        var d = Import(text);
        Assert.Equal(["Heat", "NaCl"], d.Courses);
        Assert.Equal(["Heat 15'", "Heat 30'", "NaCl 15'"], d.Targets.Conditions); // the bare 30' joins Heat
        Assert.Equal(["YFL014W", "YAL002W"], d.Targets.GeneIds);
        Assert.Equal(["YAL001C"], d.DroppedGenes);
        Assert.Equal("HSP12", d.GeneNames["YFL014W"]);
        Assert.Equal(2f, d.Targets["YFL014W", "Heat 15'"], 5);                      // 800 / mean(100, 300)
        Assert.Equal((float)Math.Log2(20.0 / 200), d.Targets["YFL014W", "Heat 30'"], 5); // floored numerator
        Assert.False(d.Targets.IsObserved(0, 2));                                    // NaCl 15' missing
        Assert.Equal(1f, d.Targets["YAL002W", "Heat 15'"], 5);                       // one reference missing: mean of the other
        Assert.False(d.Targets.IsObserved(1, 2));                                    // NaCl reference missing
    }

    [Fact]
    public void MalformedFilesNameLineAndColumn()
    {
        var e = Assert.Throws<DataFormatException>(() => Import($"ORF\tGene\tHeat 0'\t{Call}\tHeat 15'\t{Call}\nYAL001C\tTFC3\t100\t1\tlots\t1\n"));
        Assert.Equal("causton.txt:2: non-numeric value 'lots' in column 'Heat 15''", e.Message);
        e = Assert.Throws<DataFormatException>(() => Import($"ORF\tGene\tHeat 0'\tHeat 15'\nA\tA\t100\t200\nA\tA\t100\t200\n"));
        Assert.StartsWith("causton.txt:3: duplicate gene 'A' in column 'ORF'", e.Message);
        e = Assert.Throws<DataFormatException>(() => Import("ORF\tGene\tHeat 15'\nA\tA\t100\n"));
        Assert.StartsWith("causton.txt:1: course 'Heat' has no 0' reference", e.Message);
        e = Assert.Throws<DataFormatException>(() => Import("ORF\tGene\tHeat 0'\tHeat shock\nA\tA\t100\t1\n"));
        Assert.StartsWith("causton.txt:1: column 4 header 'Heat shock' is not a sample name", e.Message);
        e = Assert.Throws<DataFormatException>(() => Import($"ORF\tGene\tHeat 0'\t{Call}\nA\tA\t100\t7\n"));
        Assert.StartsWith("causton.txt:2: call '7' in column 'Call:1=P, 0=A'", e.Message);
    }

    [Fact]
    public void BundledCaustonFileGivesTheDesignTarget()
    {
        var d = BundledData.Task.TimeCourse; // TimeCourseImporter.Import on the bundled file, shared with the task tests
        Assert.Equal(6_191, d.GenesInFile);
        Assert.Equal(45, d.Samples.Count);
        Assert.Equal(["Heat", "Acid", "Alkali", "msn2/4 acid", "Peroxide", "NaCl", "Sorbitol"], d.Courses);
        Assert.Equal(11, d.Samples.Count(s => s.IsReference));
        Assert.Equal(34, d.Targets.ConditionCount);
        Assert.Equal("Heat 15'", d.Targets.Conditions[0]);
        Assert.Contains("Peroxide 20'", d.Targets.Conditions);
        Assert.Contains("msn2/4 acid 20'", d.Targets.Conditions);
        Assert.Equal("Sorbitol 120'", d.Targets.Conditions[^1]);
        Assert.DoesNotContain(d.Targets.Conditions, c => c.Contains("0' (", StringComparison.Ordinal));
        Assert.Equal(6_150, d.Targets.GeneCount);   // 41 genes with every value ≤ 50 dropped
        Assert.Equal(41, d.DroppedGenes.Count);
        var values = d.Targets.Values;
        var observed = d.Targets.Observed;
        int masked = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (observed[i])
            {
                Assert.True(float.IsFinite(values[i]));
            }
            else
            {
                masked++;
            }
        }
        Assert.InRange(masked, 1, 5_000);            // the file's empty cells are masked, not zero
        Assert.Equal("HSP12", d.GeneNames["YFL014W"]);
        Assert.True(d.Targets["YFL014W", "Heat 15'"] > 2f, "HSP12 is strongly heat-induced");
        Assert.Equal((float)Math.Log2(14558.6 / ((107.5 + 33.3) / 2)), d.Targets["YFL014W", "Heat 15'"], 4);
    }
}
