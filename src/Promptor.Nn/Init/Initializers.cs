using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Nn.Init;

/// <summary>
/// In-place initialisers with PyTorch's formulas (<c>torch.nn.init</c>), drawing from a seeded
/// <see cref="Generator"/> so that a seed reproduces a model exactly. Each writes the tensor's
/// values under <see cref="Tape.NoGrad"/> and returns the same tensor.
/// Fans follow PyTorch: for a weight of shape <c>(out, in, k…)</c>, fan_in = in·∏k and
/// fan_out = out·∏k (the receptive field ∏k is 1 for a Linear weight).
/// </summary>
public static class Initializers
{
    /// <summary>Fills with samples from <c>U(low, high)</c> (defaults 0 and 1).</summary>
    public static Tensor Uniform(Tensor tensor, Generator generator, double low = 0, double high = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(low <= high))
        {
            throw new ArgumentException($"Uniform bounds need low ≤ high, got [{low}, {high}).");
        }
        using (Tape.NoGrad())
        {
            generator.FillUniform(tensor.Data, (float)low, (float)high);
        }
        return tensor;
    }

    /// <summary>Fills with samples from <c>N(mean, std²)</c> (defaults 0 and 1).</summary>
    public static Tensor Normal(Tensor tensor, Generator generator, double mean = 0, double std = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(std >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(std), std, "Standard deviation must be non-negative.");
        }
        using (Tape.NoGrad())
        {
            generator.FillNormal(tensor.Data, (float)mean, (float)std);
        }
        return tensor;
    }

    /// <summary>Fills with <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Tape.NoGrad())
        {
            Array.Fill(tensor.Data, value);
        }
        return tensor;
    }

    /// <summary>Fills with zeros.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Fills with ones.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    /// <summary>
    /// Glorot/Xavier uniform: <c>U(−b, b)</c> with <c>b = gain·√(6 / (fan_in + fan_out))</c>.
    /// Needs rank ≥ 2.
    /// </summary>
    public static Tensor XavierUniform(Tensor tensor, Generator generator, double gain = 1)
    {
        var (fanIn, fanOut) = CalculateFans(ValidShape(tensor));
        double std = gain * Math.Sqrt(2.0 / Math.Max(1, fanIn + fanOut));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, generator, -bound, bound);
    }

    /// <summary>Glorot/Xavier normal: <c>N(0, std²)</c> with <c>std = gain·√(2 / (fan_in + fan_out))</c>. Needs rank ≥ 2.</summary>
    public static Tensor XavierNormal(Tensor tensor, Generator generator, double gain = 1)
    {
        var (fanIn, fanOut) = CalculateFans(ValidShape(tensor));
        double std = gain * Math.Sqrt(2.0 / Math.Max(1, fanIn + fanOut));
        return Normal(tensor, generator, 0, std);
    }

    /// <summary>
    /// He/Kaiming uniform: <c>U(−b, b)</c> with <c>b = √3 · gain / √fan</c>, where
    /// <c>gain = CalculateGain(nonlinearity, a)</c> and fan is chosen by <paramref name="mode"/>.
    /// Defaults as PyTorch: <c>a = 0</c>, fan_in, leaky ReLU (so gain √2). PyTorch's Linear and Conv
    /// layers use <c>a = √5</c>, which gives <c>b = 1/√fan_in</c>. Needs rank ≥ 2; a tensor with no
    /// elements is left as is.
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, Generator generator, double a = 0,
        FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        double std = KaimingStd(tensor, a, mode, nonlinearity);
        return tensor.Size == 0 ? tensor : Uniform(tensor, generator, -Math.Sqrt(3.0) * std, Math.Sqrt(3.0) * std);
    }

    /// <summary>
    /// He/Kaiming normal: <c>N(0, std²)</c> with <c>std = gain / √fan</c>; arguments as in
    /// <see cref="KaimingUniform"/>. Needs rank ≥ 2; a tensor with no elements is left as is.
    /// </summary>
    public static Tensor KaimingNormal(Tensor tensor, Generator generator, double a = 0,
        FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        double std = KaimingStd(tensor, a, mode, nonlinearity);
        return tensor.Size == 0 ? tensor : Normal(tensor, generator, 0, std);
    }

    private static double KaimingStd(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFans(ValidShape(tensor));
        long fan = mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fan mode."),
        };
        return CalculateGain(nonlinearity, a) / Math.Sqrt(Math.Max(1, fan));
    }

    /// <summary>
    /// The recommended gain for <paramref name="nonlinearity"/> (PyTorch's <c>calculate_gain</c>):
    /// linear and sigmoid 1, tanh 5/3, ReLU √2, leaky ReLU √(2/(1+slope²)) with
    /// <paramref name="negativeSlope"/> (default 0.01 when null), SELU 3/4.
    /// </summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double? negativeSlope = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3.0,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + Math.Pow(negativeSlope ?? 0.01, 2))),
        Nonlinearity.Selu => 0.75,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Unknown nonlinearity."),
    };

    /// <summary>
    /// PyTorch's <c>_calculate_fan_in_and_fan_out</c>: for <paramref name="shape"/> <c>(out, in, k…)</c>
    /// returns <c>(in·∏k, out·∏k)</c>. Throws for rank &lt; 2.
    /// </summary>
    public static (long FanIn, long FanOut) CalculateFans(Shape shape)
    {
        if (shape.Rank < 2)
        {
            throw new ArgumentException($"Fan in and fan out need a tensor of rank ≥ 2, got shape {shape}.", nameof(shape));
        }
        long receptive = 1;
        for (int i = 2; i < shape.Rank; i++)
        {
            receptive *= shape[i];
        }
        return (shape[1] * receptive, shape[0] * receptive);
    }

    private static Shape ValidShape(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Shape;
    }
}
