using System.Numerics.Tensors;

namespace Promptor.Tensors.Autograd;

/// <summary>An element-wise binary operation over spans, used by the broadcasting driver.</summary>
internal interface IBinaryOperator
{
    static abstract void SpanSpan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    static abstract void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> destination);

    static abstract void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> destination);

    static abstract float Invoke(float x, float y);
}

internal readonly struct AddOperator : IBinaryOperator
{
    public static void SpanSpan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(x, y, d);

    public static void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Add(x, y, d);

    public static void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(y, x, d);

    public static float Invoke(float x, float y) => x + y;
}

internal readonly struct SubtractOperator : IBinaryOperator
{
    public static void SpanSpan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);

    public static void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);

    public static void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);

    public static float Invoke(float x, float y) => x - y;
}

internal readonly struct MultiplyOperator : IBinaryOperator
{
    public static void SpanSpan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);

    public static void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);

    public static void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(y, x, d);

    public static float Invoke(float x, float y) => x * y;
}

internal readonly struct DivideOperator : IBinaryOperator
{
    public static void SpanSpan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);

    public static void SpanScalar(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Divide(x, y, d);

    public static void ScalarSpan(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);

    public static float Invoke(float x, float y) => x / y;
}

/// <summary>
/// NumPy broadcasting: shapes are aligned from the right and a dimension of 1 stretches. The
/// driver merges adjacent dimensions that broadcast the same way, so the common cases (same shape,
/// bias over rows, scalar) run as a few long span operations.
/// </summary>
internal static class Broadcasting
{
    /// <summary>The broadcast shape of two shapes, or an error naming both.</summary>
    public static Shape Shapes(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"Shapes {a} and {b} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            }
            dims[i] = da == 1 ? db : da;
        }
        return new Shape(dims);
    }

    /// <summary>Strides of <paramref name="s"/> aligned to the dims of <paramref name="output"/>, 0 where it broadcasts.</summary>
    private static int[] BroadcastStrides(Shape s, Shape output)
    {
        int rank = output.Rank;
        var strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int j = i - (rank - s.Rank);
            int d = j >= 0 ? s.Dims[j] : 1;
            strides[i] = d == 1 && output.Dims[i] != 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    /// <summary>
    /// Collapses the output dims into as few as possible: adjacent dims merge when, for every
    /// operand, both are broadcast or both are contiguous with each other.
    /// </summary>
    private static (int[] Dims, int[][] Strides) Merge(Shape output, params int[][] strides)
    {
        var dims = new List<int>();
        var merged = strides.Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < output.Rank; i++)
        {
            int d = output.Dims[i];
            if (d == 1)
            {
                continue;
            }
            bool canMerge = dims.Count > 0;
            for (int k = 0; k < strides.Length && canMerge; k++)
            {
                int prev = merged[k][^1], cur = strides[k][i];
                canMerge = prev == cur * d || (prev == 0 && cur == 0);
            }
            if (canMerge)
            {
                dims[^1] *= d;
                for (int k = 0; k < strides.Length; k++)
                {
                    merged[k][^1] = strides[k][i];
                }
            }
            else
            {
                dims.Add(d);
                for (int k = 0; k < strides.Length; k++)
                {
                    merged[k].Add(strides[k][i]);
                }
            }
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            foreach (var m in merged)
            {
                m.Add(1);
            }
        }
        return (dims.ToArray(), merged.Select(m => m.ToArray()).ToArray());
    }

    /// <summary>Computes <c>y = op(a, b)</c> with broadcasting; <paramref name="y"/> has the broadcast shape.</summary>
    public static void Binary<TOp>(ReadOnlySpan<float> a, Shape sa, ReadOnlySpan<float> b, Shape sb, Span<float> y, Shape sy)
        where TOp : IBinaryOperator
    {
        if (sa == sb)
        {
            TOp.SpanSpan(a, b, y);
            return;
        }
        if (sy.Size == 0)
        {
            return;
        }
        var (dims, strides) = Merge(sy, BroadcastStrides(sa, sy), BroadcastStrides(sb, sy));
        int[] strA = strides[0], strB = strides[1];
        int rank = dims.Length, inner = dims[rank - 1];
        int innerA = strA[rank - 1], innerB = strB[rank - 1];
        var index = new int[rank];
        int offA = 0, offB = 0, offY = 0;
        while (true)
        {
            var yRow = y.Slice(offY, inner);
            if (innerA != 0 && innerB != 0)
            {
                TOp.SpanSpan(a.Slice(offA, inner), b.Slice(offB, inner), yRow);
            }
            else if (innerA != 0)
            {
                TOp.SpanScalar(a.Slice(offA, inner), b[offB], yRow);
            }
            else if (innerB != 0)
            {
                TOp.ScalarSpan(a[offA], b.Slice(offB, inner), yRow);
            }
            else
            {
                yRow.Fill(TOp.Invoke(a[offA], b[offB]));
            }
            offY += inner;
            int axis = rank - 2;
            while (axis >= 0)
            {
                index[axis]++;
                offA += strA[axis];
                offB += strB[axis];
                if (index[axis] < dims[axis])
                {
                    break;
                }
                offA -= strA[axis] * dims[axis];
                offB -= strB[axis] * dims[axis];
                index[axis] = 0;
                axis--;
            }
            if (axis < 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="source"/> (shape <paramref name="from"/>) into <paramref name="destination"/>
    /// (shape <paramref name="to"/>, which broadcasts to <paramref name="from"/>), summing over
    /// the broadcast dimensions.
    /// </summary>
    public static void SumInto(ReadOnlySpan<float> source, Shape from, Span<float> destination, Shape to)
    {
        if (from == to || from.Size == to.Size)
        {
            TensorPrimitives.Add(destination, source, destination);
            return;
        }
        if (from.Size == 0)
        {
            return;
        }
        var (dims, strides) = Merge(from, BroadcastStrides(to, from));
        int[] strD = strides[0];
        int rank = dims.Length, inner = dims[rank - 1], innerD = strD[rank - 1];
        var index = new int[rank];
        int offS = 0, offD = 0;
        while (true)
        {
            var row = source.Slice(offS, inner);
            if (innerD != 0)
            {
                var dRow = destination.Slice(offD, inner);
                TensorPrimitives.Add(dRow, row, dRow);
            }
            else
            {
                destination[offD] += TensorPrimitives.Sum(row);
            }
            offS += inner;
            int axis = rank - 2;
            while (axis >= 0)
            {
                index[axis]++;
                offD += strD[axis];
                if (index[axis] < dims[axis])
                {
                    break;
                }
                offD -= strD[axis] * dims[axis];
                index[axis] = 0;
                axis--;
            }
            if (axis < 0)
            {
                return;
            }
        }
    }
}
