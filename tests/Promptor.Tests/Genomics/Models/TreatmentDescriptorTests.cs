using Promptor.Genomics.IO;
using Promptor.Genomics.Models;
using Promptor.Genomics.Training;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tests.Genomics.Training;

namespace Promptor.Tests.Genomics.Models;

public class TreatmentDescriptorTests
{
    [Fact]
    public void YeastStressNamesGiveTypeMinutesAndMutantFlag()
    {
        var table = TreatmentDescriptorTable.ForYeastStress(["Heat 15'", "msn2/4 acid 20'", "Sorbitol 120'"]);

        Assert.Equal(["is_heat", "is_acid", "is_alkali", "is_peroxide", "is_nacl", "is_sorbitol", "minutes", "msn24_mutant"], table.FeatureNames);
        Assert.Equal([1f, 0, 0, 0, 0, 0, 15, 0], table["Heat 15'"]);
        Assert.Equal([0f, 1, 0, 0, 0, 0, 20, 1], table["msn2/4 acid 20'"]);
        Assert.Equal([0f, 0, 0, 0, 0, 1, 120, 0], table["Sorbitol 120'"]);
        Assert.Throws<ArgumentException>(() => TreatmentDescriptorTable.ForYeastStress(["Cold 10'"]));
        Assert.Throws<ArgumentException>(() => TreatmentDescriptorTable.ForYeastStress(["Heat"]));
    }

    [Fact]
    public void FilesAreReadAndMalformedOnesNameLineAndColumn()
    {
        using var dir = new TempDirectory();
        string good = dir.Write("good.csv", "treatment,dose,time\nB,2,10\nA,1,5\n");
        string missing = dir.Write("missing.tsv", "treatment\tdose\nA\t1\nB\tNA\n");
        string duplicate = dir.Write("duplicate.tsv", "treatment\tdose\nA\t1\nA\t2\n");

        var table = TreatmentDescriptorTable.Read(good);
        var missingError = Assert.Throws<DataFormatException>(() => TreatmentDescriptorTable.Read(missing));
        var duplicateError = Assert.Throws<DataFormatException>(() => TreatmentDescriptorTable.Read(duplicate));
        var unknownError = Assert.Throws<DataFormatException>(() => table.For(["A", "C"]));

        Assert.Equal(["dose", "time"], table.FeatureNames);
        Assert.Equal([[1f, 5f], [2f, 10f]], table.For(["A", "B"]).Select(r => r.ToArray()));
        Assert.Equal($"{missing}:3: missing value in column 'dose' of treatment 'B'; descriptors must be complete", missingError.Message);
        Assert.Equal($"{duplicate}:3: duplicate treatment 'A' in column 'treatment' (first on line 2)", duplicateError.Message);
        Assert.Equal($"{good}: no descriptor for treatment 'C' in column 'treatment' (2 treatments described)", unknownError.Message);
    }

    [Fact]
    public void TheEncoderStandardisesColumnsAndReturnsQueryTokensPerTreatment()
    {
        float[][] descriptors = [[1, 0, 15], [0, 1, 30], [0, 1, 60], [1, 0, 60]];
        var encoder = new TreatmentDescriptorEncoder(descriptors, modelDim: 6, tokensPerTreatment: 2, new Generator(3));

        var f = encoder.Features.ToArray();
        for (int j = 0; j < 3; j++)
        {
            var column = Enumerable.Range(0, 4).Select(i => (double)f[i * 3 + j]).ToArray();
            Assert.Equal(0, column.Average(), 6);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 5);
        }
        Assert.Equal(new Shape(8, 6), encoder.Forward().Shape);                  // (n_treat · q, d)
        var constant = new TreatmentDescriptorEncoder([[2f, 1f], [2f, 3f]], 4, 1, new Generator(3));
        Assert.Equal([0f, -1f, 0f, 1f], constant.Features.ToArray());            // a constant column is centred only
        Assert.Throws<ArgumentException>(() => new TreatmentDescriptorEncoder([[1f, 2f], [1f]], 4, 1, new Generator(3)));
        Assert.Throws<ArgumentException>(() => new TreatmentDescriptorEncoder([[float.NaN]], 4, 1, new Generator(3)));
    }

    [Theory]
    [InlineData(ConditioningMethod.CrossAttention)]
    [InlineData(ConditioningMethod.ConcatMlp)]
    [InlineData(ConditioningMethod.Film)]
    [InlineData(ConditioningMethod.CrossAttentionEveryBlock)]
    public void TreatmentsWithEqualDescriptorsGetEqualPredictions(ConditioningMethod conditioning)
    {
        // Treatments 0 and 2 share a descriptor: with descriptor tokens the model cannot tell them apart,
        // which is what lets it predict a treatment it never saw from its description alone.
        var options = TrainingFixture.TinyModel() with { Conditioning = conditioning, TreatmentDescriptors = [[1f, 0f], [0f, 1f], [1f, 0f]] };
        var model = new CondPromoter(options, new Generator(5));
        model.Eval();
        Tensor y;
        using (Tape.NoGrad())
        {
            y = model.Forward(TrainingFixture.Dataset.GetBatch([0, 1, 2, 3]).Sequences); // (4, 3)
        }

        for (int b = 0; b < 4; b++)
        {
            Assert.Equal(y[b, 0], y[b, 2]);
            Assert.NotEqual(y[b, 0], y[b, 1]);
        }
        Assert.Null(model.TreatmentEmbedding);
        Assert.Contains("treat_descriptors.mlp.0.weight", model.StateDict().Keys);
        Assert.DoesNotContain("treat.weight", model.StateDict().Keys);
    }

    [Fact]
    public void DescriptorsRoundTripThroughTheRecordedOptionsAndLeaveOtherModelsAsTheyWere()
    {
        var plain = TrainingFixture.TinyModel();
        var described = plain with { TreatmentDescriptors = [[1f, 0.5f], [0f, 2f], [3f, 1f]] };

        string plainJson = ModelOptionsJson.Serialize(plain);
        var back = ModelOptionsJson.Deserialize(ModelOptionsJson.Serialize(described));

        Assert.DoesNotContain("treatment_descriptors", plainJson, StringComparison.Ordinal); // hashes of existing runs are unchanged
        Assert.Equal([[1f, 0.5f], [0f, 2f], [3f, 1f]], back.TreatmentDescriptors!.Select(r => r.ToArray()));
        Assert.True(ModelOptionsJson.AreEqual(described, back));
        Assert.Throws<ArgumentException>(() => new CondPromoter(plain with { TreatmentDescriptors = [[1f], [2f]] }, new Generator(1)));
        Assert.Throws<ArgumentException>(() => new CondPromoter(described with { Conditioning = ConditioningMethod.MultiTask }, new Generator(1)));
    }

    [Fact]
    public void HoldingOutMasksWholeTreatmentColumnsOnly()
    {
        var data = TrainingFixture.Dataset;
        var masked = TreatmentDescriptorHoldOut.Mask(data, ["peroxide"]);

        for (int i = 0; i < data.Count; i++)
        {
            Assert.Equal(0f, masked.Mask[i, 1]);
            Assert.Equal(0f, masked.Targets[i, 1]);
            Assert.Equal(data.Mask[i, 0], masked.Mask[i, 0]);
            Assert.Equal(data.Targets[i, 2], masked.Targets[i, 2]);
        }
        Assert.Same(data.Sequences, masked.Sequences);
        Assert.Throws<ArgumentException>(() => TreatmentDescriptorHoldOut.Indices(data.Treatments, ["cold"]));
        Assert.Throws<ArgumentException>(() => TreatmentDescriptorHoldOut.Indices(data.Treatments, ["heat", "peroxide", "starvation"]));
    }
}
