using System.Globalization;
using System.Text;
using Promptor.Tensors.Autograd;

namespace Promptor.Tensors;

/// <summary>
/// A dense float32 tensor: a <see cref="Shape"/> and a contiguous row-major <c>float[]</c>, with an
/// optional gradient and the autograd node that produced it. Operations live in <see cref="Ops"/>
/// (also callable as extension methods, <c>x.MatMul(w)</c>) and never modify their inputs.
/// </summary>
public class Tensor
{
    private float[]? gradBuffer;

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of <paramref name="shape"/>.</summary>
    public Tensor(Shape shape, float[] data, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.Size)
        {
            throw new ArgumentException($"Data holds {data.Length} values but shape {shape} needs {shape.Size}.", nameof(data));
        }
        Shape = shape;
        Data = data;
        RequiresGrad = requiresGrad;
    }

    /// <summary>A zero-filled tensor of <paramref name="shape"/> (large storage may be reused from the tensor pool).</summary>
    public Tensor(Shape shape, bool requiresGrad = false)
        : this(shape, TensorStoragePool.Shared.Rent(shape.Size, clear: true), requiresGrad)
    {
    }

    /// <summary>
    /// A tensor whose values are not cleared, for op outputs that a kernel overwrites completely:
    /// large outputs then skip the zeroing pass (and the page faults it causes), and reuse storage
    /// the tape recycled (<see cref="TensorStoragePool"/>).
    /// </summary>
    internal static Tensor Uninitialized(Shape shape) => new(shape, TensorStoragePool.Shared.Rent(shape.Size, clear: false));

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The values, row-major. Shared (not copied) by <see cref="Ops.Reshape"/> and <see cref="Detach"/>.</summary>
    public float[] Data { get; }

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (inputs, parameters); outputs of
    /// recorded operations have it set automatically.
    /// </summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The node that produced this tensor during a recorded forward pass; null for leaves.</summary>
    internal GradNode? Node { get; set; }

    /// <summary>True for tensors not produced by a recorded operation.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Name of the operation that produced this tensor, or null for leaves (for debugging).</summary>
    public string? OpName => Node?.OpName;

    /// <summary>The accumulated gradient, same shape, or null before any backward pass reached it.</summary>
    public Tensor? Grad => gradBuffer is null ? null : new Tensor(Shape, gradBuffer);

    /// <summary>True once a gradient buffer exists.</summary>
    public bool HasGrad => gradBuffer is not null;

    /// <summary>The gradient buffer, allocated (zero) on first use. Backward kernels accumulate into it.</summary>
    internal float[] GradData => gradBuffer ??= TensorStoragePool.Shared.Rent(Data.Length, clear: true);

    /// <summary>
    /// Set by <see cref="Tape.RecycleAfterBackward"/>: once backward has run this tensor's node, its
    /// storage goes back to the tensor pool.
    /// </summary>
    internal bool RecycleAfterBackward { get; set; }

    /// <summary>The gradient values as a span (empty when no gradient exists yet).</summary>
    public Span<float> GradSpan => gradBuffer;

    /// <summary>Drops the gradient buffer.</summary>
    public void ZeroGrad() => gradBuffer = null;

    /// <summary>Sets all gradient values to zero, keeping the buffer.</summary>
    public void ClearGrad()
    {
        if (gradBuffer is not null)
        {
            Array.Clear(gradBuffer);
        }
    }

    /// <summary>Releases the gradient buffer of a non-leaf tensor after backward and returns it (or null).</summary>
    internal float[]? ReleaseGradBuffer()
    {
        var buffer = gradBuffer;
        gradBuffer = null;
        return buffer;
    }

    /// <summary>True when this tensor's gradient buffer is <paramref name="buffer"/> (it adopted it).</summary>
    internal bool OwnsGradBuffer(float[] buffer) => ReferenceEquals(gradBuffer, buffer);

    /// <summary>
    /// The gradient buffer for a backward product that writes every element, and the beta to run it
    /// with: when no gradient exists yet, a fresh buffer that is not zeroed and beta 0 (the product
    /// overwrites it: no clearing pass, no read of zeros); otherwise the existing buffer and beta 1.
    /// </summary>
    internal (float[] Buffer, float Beta) GradForProduct()
    {
        if (gradBuffer is not null)
        {
            return (gradBuffer, 1f);
        }
        gradBuffer = TensorStoragePool.Shared.Rent(Data.Length, clear: false);
        return (gradBuffer, 0f);
    }

    /// <summary>Takes <paramref name="buffer"/> as this tensor's gradient (see <c>Tape.AccumulateOrAdopt</c>).</summary>
    internal void AdoptGradBuffer(float[] buffer) => gradBuffer = buffer;

    /// <summary>The values as a span.</summary>
    public Span<float> AsSpan() => Data;

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1)
        {
            throw new InvalidOperationException($"Item() needs a one-element tensor, got shape {Shape}.");
        }
        return Data[0];
    }

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => (float[])Data.Clone();

    /// <summary>The value at a multi-index (slow; for tests and inspection).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index] => Data[FlatIndex(index)];

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException($"Index of rank {index.Length} for a tensor of shape {Shape}.");
        }
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int d = Shape.Dims[i];
            int ix = index[i] < 0 ? index[i] + d : index[i];
            if (ix < 0 || ix >= d)
            {
                throw new IndexOutOfRangeException($"Index {index[i]} out of range for axis {i} of shape {Shape}.");
            }
            flat = flat * d + ix;
        }
        return flat;
    }

    /// <summary>
    /// Back-propagates from this scalar (or, with <paramref name="gradient"/>, from any tensor) to every
    /// tensor that requires grad, accumulating into their <see cref="Grad"/>. The graph is released
    /// afterwards: intermediate nodes and their gradients are dropped, leaf gradients are kept.
    /// </summary>
    public void Backward(Tensor? gradient = null) => Tape.Backward(this, gradient);

    /// <summary>A tensor sharing this one's values, cut from the graph (no gradient flows through it).</summary>
    public Tensor Detach() => new(Shape, Data);

    /// <summary>A deep copy of the values (no gradient, not in the graph).</summary>
    public Tensor Clone() => new(Shape, ToArray());

    // ---- creation -------------------------------------------------------------------------------

    /// <summary>Creates a tensor from values (copied) and a shape; the shape defaults to 1-D.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        var s = shape.Length == 0 ? new Shape(data.Length) : new Shape(shape);
        return new Tensor(s, (float[])data.Clone());
    }

    /// <summary>Creates a 2-D tensor from a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int r = data.GetLength(0), c = data.GetLength(1);
        var flat = new float[r * c];
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                flat[i * c + j] = data[i, j];
            }
        }
        return new Tensor(new Shape(r, c), flat);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new(Shape.Scalar, [value]);

    /// <summary>A zero-filled tensor.</summary>
    public static Tensor Zeros(params int[] shape) => new(new Shape(shape));

    /// <summary>A tensor filled with ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(new Shape(shape));
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>The 1-D tensor <c>[start, start+step, …)</c> below <paramref name="end"/>.</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step))
        {
            throw new ArgumentException("Arange step must be non-zero.", nameof(step));
        }
        int n = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var d = new float[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = start + i * step;
        }
        return new Tensor(new Shape(n), d);
    }

    /// <summary>Samples from <c>N(mean, std²)</c>.</summary>
    public static Tensor RandomNormal(Generator generator, Shape shape, float mean = 0f, float std = 1f)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var t = new Tensor(shape);
        generator.FillNormal(t.Data, mean, std);
        return t;
    }

    /// <summary>Samples uniformly from <c>[low, high)</c>.</summary>
    public static Tensor RandomUniform(Generator generator, Shape shape, float low = 0f, float high = 1f)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var t = new Tensor(shape);
        generator.FillUniform(t.Data, low, high);
        return t;
    }

    /// <summary>Samples 0/1 values that are 1 with probability <paramref name="p"/>.</summary>
    public static Tensor RandomBernoulli(Generator generator, Shape shape, float p)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), "Bernoulli probability must be in [0, 1].");
        }
        var t = new Tensor(shape);
        generator.FillUniform(t.Data);
        var d = t.Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = d[i] < p ? 1f : 0f;
        }
        return t;
    }

    // ---- operators ------------------------------------------------------------------------------

    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);

    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);

    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, float b) => Ops.AddScalar(a, b);

    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, float b) => Ops.AddScalar(a, -b);

    /// <summary>Multiplies by a constant.</summary>
    public static Tensor operator *(Tensor a, float b) => Ops.MulScalar(a, b);

    /// <summary>Multiplies by a constant.</summary>
    public static Tensor operator *(float a, Tensor b) => Ops.MulScalar(b, a);

    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, float b) => Ops.MulScalar(a, 1f / b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.MulScalar(a, -1f);

    /// <summary>Shape and up to a few leading values, e.g. <c>Tensor(2, 3) [0.1, 0.2, …]</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(Shape.ToString()).Append(" [");
        int n = Math.Min(Size, 8);
        for (int i = 0; i < n; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }
            sb.Append(Data[i].ToString("G5", CultureInfo.InvariantCulture));
        }
        if (Size > n)
        {
            sb.Append(", …");
        }
        sb.Append(']');
        if (OpName is not null)
        {
            sb.Append(" <").Append(OpName).Append('>');
        }
        return sb.ToString();
    }
}
