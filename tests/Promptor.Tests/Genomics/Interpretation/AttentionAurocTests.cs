using Promptor.Genomics.Interpretation;
using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Simulation;
using Promptor.Genomics.Training;
using Promptor.Tests.Cli;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionAurocTests
{
    /// <summary>Two genes × two treatments over 8 bp, head average only.</summary>
    private static AttentionMapSet Maps(float[][] rows) =>
        new(["a", "b"], ["T1", "T2"], 1, false, 8, 8, rows.SelectMany(r => r).ToArray(), rows.SelectMany(r => r).ToArray());

    [Fact]
    public void PerfectAndChanceAttentionByHand()
    {
        float[] onSite = [0, 0, 0.5f, 0.5f, 0, 0, 0, 0];   // attends 2..3
        float[] offSite = [0.5f, 0.5f, 0, 0, 0, 0, 0, 0];  // attends 0..1
        float[] uniform = [.125f, .125f, .125f, .125f, .125f, .125f, .125f, .125f];
        var maps = Maps([onSite, offSite, onSite, uniform]);      // (a, T1) (a, T2) (b, T1) (b, T2)
        var truth = new[]
        {
            new ActiveSite("a", "T1", "M", 2, 4, Strand.Plus, 1, 0),
            new ActiveSite("b", "T1", "M", 2, 4, Strand.Plus, 1, 0),
            new ActiveSite("a", "T2", "M", 2, 4, Strand.Plus, 1, 0),
            new ActiveSite("b", "T2", "M", 2, 4, Strand.Plus, 1, 0),
            new ActiveSite("zzz", "T2", "M", 0, 2, Strand.Plus, 1, 0),  // a gene not mapped: ignored
        };

        var result = AttentionAuroc.Compute(maps, truth);

        Assert.Equal(1.0, result.Rows[0].Auroc, 1e-12);
        Assert.Equal((2, 4L), (result.Rows[0].Genes, result.Rows[0].Positives));
        // T2: gene a puts its weight off the sites (positives score 0, like 10 of 12 negatives); gene b is
        // uniform. Positives {0, 0, .125, .125} vs negatives {.5, .5, 0×4, .125×6}: zeros win 4 ties (2 each), .125s beat 4 and tie 6 (7 each), AUROC = 18/48.
        Assert.Equal(18 / 48.0, result.Rows[1].Auroc, 1e-12);
        Assert.Equal((1 + 18 / 48.0) / 2, result.Mean, 1e-12);
        Assert.Equal(18 / 48.0, result.Min, 1e-12);
    }

    [Fact]
    public void YeastQuestionsRefuseAModelWithoutAttention()
    {
        using var temp = new TempDirectory();
        var model = AttentionTestModels.Model(conditioning: ConditioningMethod.Film);
        var info = new CheckpointInfo(ModelDescription.Of(model), PromptorVersion.Current, AttentionTestModels.Treatments,
            ScalerSnapshot.Of(TargetScaler.Identity(AttentionTestModels.Treatments)), TaskKind.Regression, -0.58f, 0.58f, 1);
        TrainingCheckpoint.Save(temp.File(Trainer.BestFileName), model, info);

        var error = Assert.Throws<ArgumentException>(() => YeastAttentionQuestions.Run(temp.Path));

        Assert.Contains("Film conditioning, which has no attention", error.Message);
    }
}
