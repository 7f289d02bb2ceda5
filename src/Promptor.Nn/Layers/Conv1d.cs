using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Tensors;

namespace Promptor.Nn.Layers;

/// <summary>
/// 1-D convolution over <c>(B, Cin, L)</c> → <c>(B, Cout, L')</c>, PyTorch layout: parameter
/// <c>weight</c> <c>(Cout, Cin, K)</c> and <c>bias</c> <c>(Cout)</c>, initialised like PyTorch
/// (<c>U(−1/√(Cin·K), 1/√(Cin·K))</c>).
/// </summary>
public sealed class Conv1d : Module, IModule
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Cin.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="kernelSize">K.</param>
    /// <param name="generator">Source of initial values.</param>
    /// <param name="stride">Step between windows (default 1).</param>
    /// <param name="padding">Valid (default), Same, or explicit symmetric padding.</param>
    /// <param name="dilation">Spacing of kernel taps (default 1).</param>
    /// <param name="bias">Whether to learn a bias (default true).</param>
    public Conv1d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1,
        Padding padding = default, int dilation = 1, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Weight = RegisterParameter("weight", new Parameter(new Shape(outChannels, inChannels, kernelSize)));
        Initializers.KaimingUniform(Weight, generator, a: Math.Sqrt(5));
        if (bias)
        {
            Bias = RegisterParameter("bias", new Parameter(new Shape(outChannels)));
            double bound = 1 / Math.Sqrt(inChannels * kernelSize);
            Initializers.Uniform(Bias, generator, -bound, bound);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel width.</summary>
    public int KernelSize { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Padding mode.</summary>
    public Padding Padding { get; }

    /// <summary>Dilation.</summary>
    public int Dilation { get; }

    /// <summary>Kernels <c>(Cout, Cin, K)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>Bias <c>(Cout)</c> or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public Tensor Forward(Tensor input) => input.Conv1d(Weight, Bias, Stride, Padding, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"{InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}");
}
