using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors.Ops;

/// <summary>The no-grad max pool (vectorised, no argmax) against the recorded one.</summary>
public class PoolInferenceTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 1)]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    public void NoGradMaxPoolEqualsTheRecordedMaxPoolWithTiesAndNaN(int kernel, int stride)
    {
        foreach (int length in new[] { kernel, kernel + 1, 17, 40, 70 })
        {
            var x = GradCheck.Random((ulong)(length * 10 + kernel), 3, 2, length);
            for (int i = 0; i < x.Size; i += 7)
            {
                x.Data[i] = MathF.Round(x.Data[i]);                        // ties
            }
            x.Data[Math.Min(x.Size - 1, 31)] = float.NaN;
            var recorded = new Tensor(x.Shape, x.Data, requiresGrad: true).MaxPool1d(kernel, stride);
            Tensor inference;
            using (Tape.NoGrad())
            {
                inference = x.MaxPool1d(kernel, stride);
            }
            Assert.Equal(recorded.Shape, inference.Shape);
            for (int i = 0; i < recorded.Size; i++)
            {
                Assert.True(recorded.Data[i].Equals(inference.Data[i]), $"L={length} [{i}]: recorded {recorded.Data[i]}, inference {inference.Data[i]}");
            }
        }
    }
}
