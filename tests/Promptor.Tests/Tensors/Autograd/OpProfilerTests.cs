using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Tests.Tensors.Autograd;

public class OpProfilerTests
{
    [Fact]
    public void CountsRecordedOpsAndTheirBackwardSteps()
    {
        var x = Tensor.RandomNormal(new Generator(1), new Shape(8, 16));
        var w = Tensor.RandomNormal(new Generator(2), new Shape(16, 4));
        x.RequiresGrad = w.RequiresGrad = true;

        OpProfiler.Start();
        var loss = x.MatMul(w).Relu().Sum();
        loss.Backward();
        var profile = OpProfiler.Stop();

        var byName = profile.Ops.ToDictionary(o => o.OpName);
        Assert.Equal(1, byName["MatMul"].Calls);
        Assert.Equal(1, byName["Relu"].Calls);
        Assert.True(byName["MatMul"].Backward > TimeSpan.Zero);
        Assert.False(OpProfiler.IsRunning);
        Assert.Contains("MatMul", profile.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void RecordsNothingWhenNotRunning()
    {
        OpProfiler.Start();
        var empty = OpProfiler.Stop();
        var x = Tensor.RandomNormal(new Generator(1), new Shape(4));
        x.RequiresGrad = true;
        x.Exp().Sum().Backward();
        Assert.Empty(empty.Ops);
        OpProfiler.Start();
        Assert.Empty(OpProfiler.Stop().Ops);
    }
}
