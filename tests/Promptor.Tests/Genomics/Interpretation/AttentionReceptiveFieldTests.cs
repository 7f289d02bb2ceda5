using Promptor.Genomics.Dna;
using Promptor.Genomics.Interpretation;
using Promptor.Genomics.Models;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionReceptiveFieldTests
{
    [Fact]
    public void ConvolutionThenPoolByHand()
    {
        // conv 3 ('same', pad 1) then pool 2: output t reads conv outputs 2t, 2t+1, i.e. bp 2t−1 … 2t+2.
        var field = ReceptiveField.Of([new ConvLayerSpec(4, 3, 1, 2)], 10);

        Assert.Equal(2, field.Jump);
        Assert.Equal(4, field.Size);
        Assert.Equal(0.5, field.FirstCentre);
        Assert.Equal(5, field.OutputLength);
        Assert.Equal((-1, 2), field.UnclippedSpan(0));
        Assert.Equal((0, 2), field.Span(0));
        Assert.Equal((5, 8), field.Span(3));
        Assert.Equal((7, 9), field.Span(4));      // 7 … 10, clipped at the end
        Assert.Equal(8.5, field.Centre(4));
    }

    [Fact]
    public void DilationAndAnEvenKernelByHand()
    {
        // conv 3 dilation 2 (pad 2): bp w−2 … w+2; pool 3: conv outputs 3v … 3v+2 → bp 3v−2 … 3v+4;
        // conv 2 (even: pad 0 left, 1 right): pool outputs u, u+1 → bp 3u−2 … 3u+7.
        var field = new ReceptiveField(
        [
            ReceptiveFieldLayer.SameConvolution(3, 2),
            ReceptiveFieldLayer.Pool(3),
            ReceptiveFieldLayer.SameConvolution(2),
        ], 10);

        Assert.Equal(3, field.Jump);
        Assert.Equal(10, field.Size);
        Assert.Equal(2.5, field.FirstCentre);
        Assert.Equal(3, field.OutputLength);
        Assert.Equal((1, 10), field.UnclippedSpan(1));
        Assert.Equal((4, 9), field.Span(2));
    }

    [Fact]
    public void DefaultModelStack()
    {
        var field = ReceptiveField.Of(new CondPromoterOptions { TreatmentCount = 1 });

        Assert.Equal(16, field.Jump);
        Assert.Equal(62, field.Size);
        Assert.Equal(7.5, field.FirstCentre);
        Assert.Equal(new CondPromoterOptions { TreatmentCount = 1 }.EncodedLength, field.OutputLength);
        Assert.Equal((16 * 10 - 23, 16 * 10 + 38), field.Span(10));
    }

    [Fact]
    public void StackThatPoolsEverythingAwayIsRejected()
    {
        Assert.Throws<ArgumentException>(() => ReceptiveField.Of([new ConvLayerSpec(4, 3, 1, 8)], 5));
        Assert.Throws<ArgumentException>(() => new ReceptiveField([new ReceptiveFieldLayer(0)], 5));
    }

    [Fact]
    public void MutatingABaseOutsideASpanNeverChangesThatPosition()
    {
        // The arithmetic against the model itself: a base outside output t's span cannot reach t.
        var model = AttentionTestModels.Model();
        var field = ReceptiveField.Of(model.Options);
        var gene = AttentionTestModels.Genes(1)[0].Sequence;
        using var noGrad = Tape.NoGrad();
        var reference = AttentionRollout.EncoderInput(model, OneHot.EncodeBatch([gene]));
        int d = model.Options.ModelDim;
        foreach (int j in new[] { 0, 13, 31, 59 })
        {
            var chars = gene.ToCharArray();
            chars[j] = chars[j] == 'A' ? 'C' : 'A';
            var mutated = AttentionRollout.EncoderInput(model, OneHot.EncodeBatch([new string(chars)]));
            bool anyChanged = false;
            for (int t = 0; t < field.OutputLength; t++)
            {
                var (first, last) = field.Span(t);
                bool changed = Enumerable.Range(t * d, d).Any(k => reference.Data[k] != mutated.Data[k]);
                anyChanged |= changed;
                if (j < first || j > last)
                {
                    Assert.False(changed, $"bp {j} changed position {t}, whose span is {first}…{last}");
                }
            }
            Assert.True(anyChanged, $"bp {j} changed nothing");
        }
    }
}
