using Promptor.Genomics.Dna;
using Promptor.Genomics.Interpretation;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Genomics.Interpretation;

public class AttentionRolloutTests
{
    [Fact]
    public void TwoLayersByHand()
    {
        // Â1 = (A1 + I)/2 = [[.75, .25], [0, 1]]; Â2 = [[1, 0], [.25, .75]];
        // R = Â2·Â1 = [[.75, .25], [.1875, .8125]]; c·R for c = [.4, .6] = [.4125, .5875].
        float[] a1 = [0.5f, 0.5f, 0f, 1f];
        float[] a2 = [1f, 0f, 0.5f, 0.5f];

        var rollout = AttentionRollout.Rollout([a1, a2], 2);
        var rolled = AttentionRollout.Apply([0.4f, 0.6f], rollout);

        Assert.Equal([0.75f, 0.25f, 0.1875f, 0.8125f], rollout);
        Assert.Equal(0.4125f, rolled[0], 1e-6f);
        Assert.Equal(0.5875f, rolled[1], 1e-6f);
    }

    [Fact]
    public void NoLayersIsTheIdentityAndRowsStayNormalised()
    {
        Assert.Equal([1f, 0f, 0f, 1f], AttentionRollout.Rollout([], 2));
        var g = new Promptor.Tensors.Generator(4);
        var layers = Enumerable.Range(0, 3).Select(_ =>
        {
            var w = Enumerable.Range(0, 16).Select(_ => g.NextSingle()).ToArray();
            for (int i = 0; i < 4; i++)
            {
                float s = w.Skip(4 * i).Take(4).Sum();
                for (int j = 0; j < 4; j++)
                {
                    w[4 * i + j] /= s;
                }
            }
            return w;
        }).ToList();

        var rollout = AttentionRollout.Rollout(layers, 4);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(1f, rollout.Skip(4 * i).Take(4).Sum(), 1e-5f);
        }
    }

    [Fact]
    public void RebuiltEncoderInputMatchesTheModel()
    {
        foreach (int blocks in new[] { 0, 2 })
        {
            var model = AttentionTestModels.Model(blocks);
            var x = OneHot.EncodeBatch(AttentionTestModels.Genes(3).Select(g => g.Sequence).ToArray());
            using var noGrad = Tape.NoGrad();

            var input = AttentionRollout.EncoderInput(model, x);
            var expected = model.Encode(x);
            var actual = model.Encoder is null ? input : model.Encoder.Forward(input);

            Assert.Equal(expected.Shape, actual.Shape);
            for (int i = 0; i < expected.Size; i++)
            {
                Assert.Equal(expected.Data[i], actual.Data[i], 1e-5f);
            }
            Assert.Equal(blocks, AttentionRollout.SelfAttentionWeights(model, x).Count);
        }
    }
}
