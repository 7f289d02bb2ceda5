using System.Collections;

namespace Promptor.Tensors;

/// <summary>
/// The dimensions of a tensor, outermost first (row-major). Immutable; a rank-0 shape is a scalar
/// of size 1.
/// </summary>
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[]? dims;

    /// <summary>Creates a shape; every dimension must be non-negative.</summary>
    public Shape(params ReadOnlySpan<int> dims)
    {
        var copy = dims.ToArray();
        long size = 1;
        foreach (int d in copy)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape dimensions must be non-negative, got ({string.Join(", ", copy)}).");
            }
            size *= d;
            if (size > int.MaxValue)
            {
                throw new ArgumentException($"Shape ({string.Join(", ", copy)}) holds more than {int.MaxValue} elements.");
            }
        }
        this.dims = copy;
        Size = (int)size;
    }

    /// <summary>The scalar shape <c>()</c>.</summary>
    public static Shape Scalar => new([]);

    /// <summary>Number of dimensions.</summary>
    public int Rank => dims?.Length ?? 0;

    /// <summary>Number of elements (product of the dimensions; 1 for a scalar).</summary>
    public int Size { get; }

    /// <summary>Dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => Dims[NormalizeAxis(axis)];

    /// <summary>The dimensions as a read-only span.</summary>
    public ReadOnlySpan<int> Dims => dims ?? [];

    int IReadOnlyCollection<int>.Count => Rank;

    /// <summary>Maps a possibly negative axis to <c>[0, Rank)</c>, throwing when it is out of range.</summary>
    public int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {this}.");
        }
        return a;
    }

    /// <summary>Product of the dimensions in <c>[start, end)</c>.</summary>
    public int SizeOf(int start, int end)
    {
        int s = 1;
        for (int i = start; i < end; i++)
        {
            s *= Dims[i];
        }
        return s;
    }

    /// <summary>Row-major strides in elements.</summary>
    public int[] Strides()
    {
        var strides = new int[Rank];
        int s = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Dims[i];
        }
        return strides;
    }

    /// <summary>Returns a copy with dimension <paramref name="axis"/> replaced.</summary>
    public Shape With(int axis, int value)
    {
        var d = Dims.ToArray();
        d[NormalizeAxis(axis)] = value;
        return new Shape(d);
    }

    /// <summary>Returns a copy with dimension <paramref name="axis"/> removed.</summary>
    public Shape Without(int axis)
    {
        int a = NormalizeAxis(axis);
        var d = new List<int>(Dims.ToArray());
        d.RemoveAt(a);
        return new Shape(d.ToArray());
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (int d in Dims)
        {
            h.Add(d);
        }
        return h.ToHashCode();
    }

    /// <summary>Shapes are equal when their dimensions are.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Shapes differ when any dimension does.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Creates a shape from an array of dimensions.</summary>
    public static implicit operator Shape(int[] dims) => new(dims);

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)(dims ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Formats as <c>(2, 3)</c>.</summary>
    public override string ToString() => "(" + string.Join(", ", (dims ?? []).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
}
