namespace Promptor.Tensors.Autograd;

/// <summary>
/// One recorded step of the forward pass: the inputs it read and the closure that, given the
/// gradient of its output, accumulates gradients into those inputs.
/// </summary>
internal sealed class GradNode(string opName, Tensor[] inputs, Action<Tensor> backward)
{
    public string OpName { get; } = opName;

    public Tensor[] Inputs { get; private set; } = inputs;

    public Action<Tensor>? BackwardStep { get; private set; } = backward;

    /// <summary>Drops references so the graph can be collected.</summary>
    public void Release()
    {
        Inputs = [];
        BackwardStep = null;
    }
}
