using Promptor.Nn;
using Promptor.Nn.Optim;
using Promptor.Tensors;
using Promptor.Tests.Golden;

namespace Promptor.Tests.Nn.Optim;

/// <summary>Three steps of each optimizer against torch.optim (optim.json).</summary>
public class OptimizerGoldenTests
{
    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("sgd_nesterov_wd")]
    [InlineData("adam")]
    [InlineData("adam_l2")]
    [InlineData("adamw")]
    public void ThreeStepsMatchPyTorch(string name)
    {
        var c = GoldenFixture.Case("optim", name);
        var p = new Parameter(NnTestUtil.Golden(c, "p0"));
        double lr = c.Number("lr"), wd = c.Number("weight_decay");
        Optimizer optimizer = c.String("optimizer") switch
        {
            "sgd" => new Sgd([p], lr, momentum: c.Number("momentum"), nesterov: c.Bool("nesterov"), weightDecay: wd),
            "adam" => new Adam([p], lr, c.Number("beta1"), c.Number("beta2"), c.Number("eps"), wd),
            "adamw" => new AdamW([p], lr, c.Number("beta1"), c.Number("beta2"), c.Number("eps"), wd),
            var other => throw new InvalidOperationException(other),
        };
        for (int k = 1; k <= 3; k++)
        {
            var grad = c.Data($"g{k}");
            NnTestUtil.SetGrad(p, grad);
            optimizer.Step();
            GoldenAssert.Close(c.Data($"p{k}"), p.Data, 1e-6, 1e-5, $"{name} p{k}");
            Assert.Equal(grad, p.Grad!.ToArray()); // gradients are read, not modified
        }
        Assert.Equal(3, optimizer.StepCount);
    }
}
