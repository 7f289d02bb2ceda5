using System.Globalization;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// Group normalisation of <c>(B, C, …)</c> over groups of <c>C / groups</c> channels; parameters
/// <c>weight</c> (ones) and <c>bias</c> (zeros) of shape <c>(C)</c>.
/// </summary>
public sealed class GroupNorm : Module, IModule
{
    /// <summary>Creates the layer; <paramref name="channels"/> must be divisible by <paramref name="groups"/>.</summary>
    public GroupNorm(int groups, int channels, float eps = 1e-5f)
    {
        if (groups <= 0 || channels <= 0 || channels % groups != 0)
        {
            throw new ArgumentException($"GroupNorm needs channels divisible by groups, got {channels} channels and {groups} groups.");
        }
        Groups = groups;
        Channels = channels;
        Eps = eps;
        Weight = RegisterParameter("weight", new Parameter(Tensor.Ones(channels)));
        Bias = RegisterParameter("bias", new Parameter(new Shape(channels)));
    }

    /// <summary>Number of groups.</summary>
    public int Groups { get; }

    /// <summary>Channels C.</summary>
    public int Channels { get; }

    /// <summary>Added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Scale <c>(C)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>Shift <c>(C)</c>.</summary>
    public Parameter Bias { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input) => input.GroupNorm(Groups, Weight, Bias, Eps);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture, $"{Groups}, {Channels}, eps={Eps}");
}
