namespace Promptor.Nn.Optim;

/// <summary>
/// The optimizer-specific settings of a parameter group (momentum, betas, …). Each optimizer has
/// its own options record (<see cref="SgdOptions"/>, <see cref="AdamOptions"/>); the learning rate
/// and weight decay, which every optimizer has, live on the group itself.
/// </summary>
public abstract record OptimizerOptions
{
    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    public abstract void Validate();
}
