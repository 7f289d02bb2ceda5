using Promptor.Genomics.Models.Seq2Seq;
using Promptor.Genomics.Tokenization;
using Promptor.Tensors;

namespace Promptor.Tests.Genomics.Models.Seq2Seq;

public class Seq2SeqTransformerTests
{
    private static Seq2SeqTransformer Small(ulong seed = 1) => new(new Seq2SeqOptions
    {
        SourceVocabSize = 7,
        TargetVocabSize = 24,
        MaxSourceLength = 30,
        MaxTargetLength = 11,
        ModelDim = 16,
        Heads = 2,
        EncoderLayers = 1,
        DecoderLayers = 1,
        Dropout = 0,
    }, new Generator(seed));

    [Fact]
    public void LogitsHaveTheTargetShape()
    {
        var logits = Small().Forward([3, 4, 5, 6, 3, 4, 5, 6, 3, 4, 5, 6], [1, 5, 6, 1, 7, 8], batch: 2);
        Assert.Equal(new Shape(2, 3, 24), logits.Shape);
    }

    [Fact]
    public void DecoderIsCausal()
    {
        var model = Small();
        int[] source = [3, 4, 5, 6, 5, 4];
        var a = model.Forward(source, [1, 5, 6, 7], 1);
        var b = model.Forward(source, [1, 5, 9, 12], 1);     // only positions ≥ 2 differ
        for (int i = 0; i < 2 * 24; i++)
        {
            Assert.Equal(a.Data[i], b.Data[i], 5);
        }
        Assert.NotEqual(a.Data[2 * 24], b.Data[2 * 24]);
    }

    [Fact]
    public void PaddedSourceGivesTheUnpaddedLogits()
    {
        var model = Small();
        var alone = model.Forward([3, 4, 5], [1, 5, 6], 1);
        var padded = model.Forward([3, 4, 5, 0, 0, 3, 6, 5, 4, 3], [1, 5, 6, 1, 7, 8], 2);
        for (int i = 0; i < alone.Size; i++)
        {
            Assert.Equal(alone.Data[i], padded.Data[i], 4);
        }
    }

    [Fact]
    public void CrossAttentionRowsAreDistributionsOverRealBases()
    {
        var model = Small();
        var maps = CodonAlignment.Maps(model, [3, 4, 5, 6, 5, 4], [5, 6]);
        var map = Assert.Single(maps);
        Assert.Equal(new Shape(2, 3, 6), map.Shape);   // (H, T = residues + end, S)
        for (int row = 0; row < 6; row++)
        {
            Assert.Equal(1.0, map.Data.AsSpan(row * 6, 6).ToArray().Sum(), 4);
        }
    }

    [Fact]
    public void RejectsIdsOutsideTheVocabularyOrTooLong()
    {
        var model = Small();
        Assert.Throws<ArgumentException>(() => model.Forward([3, 7], [1], 1));
        Assert.Throws<ArgumentException>(() => model.Forward(Enumerable.Repeat(3, 31).ToArray(), [1], 1));
        Assert.Throws<ArgumentException>(() => model.Forward([3, 4, 5], [1, 2], 2));
    }

    [Fact]
    public void CheckpointRoundTripsModelAndTokenizers()
    {
        using var temp = new TempDirectory();
        string path = temp.File("m.safetensors");
        var model = Small(seed: 5);
        model.Eval();
        Seq2SeqCheckpoint.Save(path, model, new DnaTokenizer(), new ProteinTokenizer(), new Dictionary<string, string> { ["task.codons"] = "10" });

        var (loaded, source, target, metadata) = Seq2SeqCheckpoint.Load(path);

        Assert.Equal(model.Options, loaded.Options);
        Assert.IsType<DnaTokenizer>(source);
        Assert.IsType<ProteinTokenizer>(target);
        Assert.Equal("10", metadata["task.codons"]);
        Assert.Equal(model.Forward([3, 4, 5], [1, 5], 1).Data, loaded.Forward([3, 4, 5], [1, 5], 1).Data);
    }

    [Fact]
    public void TrainingLowersTheLossOnAToyTranslation()
    {
        var genes = new[] { "ATGGCTAAAGATTGGTTT", "ATGTGGTTTGCTGATAAA", "ATGAAAGCTTTTGATTGG" }
            .Select((dna, i) => new CodingSequence($"g{i}", dna, GeneticCode.Translate(dna))).ToArray();
        var pairs = TranslationTask.Encode(TranslationExample.Windows(genes, codons: 3));
        var model = Small(seed: 2);
        var before = Seq2SeqTrainer.Evaluate(model, pairs);

        var result = new Seq2SeqTrainer(new Seq2SeqTrainerOptions { Epochs = 15, BatchSize = 6, LearningRate = 3e-3, WarmupSteps = 5 })
            .Train(model, pairs, pairs);

        Assert.Equal(15, result.History.Count);
        Assert.True(result.BestValidation!.Value.NatsPerToken < 0.8 * before.NatsPerToken, $"{before.NatsPerToken} → {result.BestValidation.Value.NatsPerToken}");
    }
}
