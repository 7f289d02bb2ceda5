using Promptor.Tensors.Autograd;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Same values, new shape (no copy: the result shares <see cref="Tensor.Data"/>). One dimension
    /// may be −1 and is inferred.
    /// </summary>
    public static Tensor Reshape(this Tensor x, params int[] shape)
    {
        var dims = (int[])shape.Clone();
        int infer = Array.IndexOf(dims, -1);
        if (infer >= 0)
        {
            int known = 1;
            for (int i = 0; i < dims.Length; i++)
            {
                if (i != infer)
                {
                    known *= dims[i];
                }
            }
            if (known == 0 || x.Size % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {x.Shape} to ({string.Join(", ", shape)}).");
            }
            dims[infer] = x.Size / known;
        }
        var target = new Shape(dims);
        if (target.Size != x.Size)
        {
            throw new ArgumentException($"Cannot reshape {x.Shape} ({x.Size} values) to {target} ({target.Size} values).");
        }
        var y = new Tensor(target, x.Data);
        return Tape.Record(y, [x], dy => Tape.AccumulateOrAdopt(x, dy));
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/> (negative counts from the end of the result).</summary>
    public static Tensor Unsqueeze(this Tensor x, int axis)
    {
        int a = axis < 0 ? axis + x.Rank + 1 : axis;
        if (a < 0 || a > x.Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Cannot insert axis {axis} into shape {x.Shape}.");
        }
        var dims = x.Shape.ToArray().ToList();
        dims.Insert(a, 1);
        return Reshape(x, dims.ToArray());
    }

    /// <summary>Removes dimension <paramref name="axis"/>, which must have size 1.</summary>
    public static Tensor Squeeze(this Tensor x, int axis)
    {
        if (x.Shape[axis] != 1)
        {
            throw new ArgumentException($"Cannot squeeze axis {axis} of shape {x.Shape}: its size is not 1.");
        }
        return Reshape(x, x.Shape.Without(axis).ToArray());
    }

    /// <summary>Reorders dimensions: output dim i is input dim <c>order[i]</c> (copies).</summary>
    public static Tensor Permute(this Tensor x, params int[] order)
    {
        int rank = x.Rank;
        if (order.Length != rank)
        {
            throw new ArgumentException($"Permute order has {order.Length} axes for shape {x.Shape}.");
        }
        var norm = order.Select(x.Shape.NormalizeAxis).ToArray();
        if (norm.Distinct().Count() != rank)
        {
            throw new ArgumentException($"Permute order ({string.Join(", ", order)}) repeats an axis.");
        }
        var outDims = norm.Select(a => x.Shape.Dims[a]).ToArray();
        var y = Tensor.Uninitialized(new Shape(outDims));
        PermuteCopy(x.Data, x.Shape, norm, y.Data, accumulate: false);
        var inverse = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            inverse[norm[i]] = i;
        }
        return Tape.Record(y, [x], dy => PermuteCopy(dy.Data, y.Shape, inverse, x.GradData, accumulate: true));
    }

    /// <summary>Swaps two dimensions (copies).</summary>
    public static Tensor Transpose(this Tensor x, int axis0 = -2, int axis1 = -1)
    {
        var order = Enumerable.Range(0, x.Rank).ToArray();
        int a0 = x.Shape.NormalizeAxis(axis0), a1 = x.Shape.NormalizeAxis(axis1);
        (order[a0], order[a1]) = (order[a1], order[a0]);
        return Permute(x, order);
    }

    /// <summary>
    /// Writes <paramref name="src"/> (shape <paramref name="srcShape"/>) permuted by <paramref name="order"/>
    /// into <paramref name="dst"/>. The innermost output axis is walked with the input stride, so a
    /// permutation that keeps the last axis copies whole rows.
    /// </summary>
    private static void PermuteCopy(float[] src, Shape srcShape, int[] order, float[] dst, bool accumulate)
    {
        int rank = order.Length;
        if (src.Length == 0)
        {
            return;
        }
        var srcStrides = srcShape.Strides();
        var outDims = order.Select(a => srcShape.Dims[a]).ToArray();
        var strides = order.Select(a => srcStrides[a]).ToArray();
        if (rank == 0)
        {
            dst[0] = accumulate ? dst[0] + src[0] : src[0];
            return;
        }
        int inner = outDims[rank - 1], innerStride = strides[rank - 1];
        var index = new int[rank];
        int srcOff = 0, dstOff = 0;
        while (true)
        {
            if (innerStride == 1)
            {
                var s = src.AsSpan(srcOff, inner);
                var d = dst.AsSpan(dstOff, inner);
                if (accumulate)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(d, s, d);
                }
                else
                {
                    s.CopyTo(d);
                }
            }
            else
            {
                for (int j = 0, so = srcOff; j < inner; j++, so += innerStride)
                {
                    dst[dstOff + j] = accumulate ? dst[dstOff + j] + src[so] : src[so];
                }
            }
            dstOff += inner;
            int axis = rank - 2;
            while (axis >= 0)
            {
                index[axis]++;
                srcOff += strides[axis];
                if (index[axis] < outDims[axis])
                {
                    break;
                }
                srcOff -= strides[axis] * outDims[axis];
                index[axis] = 0;
                axis--;
            }
            if (axis < 0)
            {
                return;
            }
        }
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dims must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one tensor.");
        }
        var first = tensors[0].Shape;
        int a = first.NormalizeAxis(axis);
        int total = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank || !Enumerable.Range(0, first.Rank).All(d => d == a || t.Shape.Dims[d] == first.Dims[d]))
            {
                throw new ArgumentException($"Concat along axis {axis}: shape {t.Shape} does not match {first}.");
            }
            total += t.Shape.Dims[a];
        }
        var y = Tensor.Uninitialized(first.With(a, total));
        int outer = first.SizeOf(0, a), inner = first.SizeOf(a + 1, first.Rank);
        int offset = 0;
        foreach (var t in tensors)
        {
            int len = t.Shape.Dims[a] * inner;
            for (int o = 0; o < outer; o++)
            {
                t.Data.AsSpan(o * len, len).CopyTo(y.Data.AsSpan(o * total * inner + offset, len));
            }
            offset += len;
        }
        var inputs = tensors.ToArray();
        return Tape.Record(y, inputs, dy =>
        {
            int off = 0;
            foreach (var t in inputs)
            {
                int len = t.Shape.Dims[a] * inner;
                if (t.RequiresGrad)
                {
                    for (int o = 0; o < outer; o++)
                    {
                        var g = t.GradData.AsSpan(o * len, len);
                        System.Numerics.Tensors.TensorPrimitives.Add(g, dy.Data.AsSpan(o * total * inner + off, len), g);
                    }
                }
                off += len;
            }
        });
    }

    /// <summary>Stacks same-shape tensors along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
        => Concat(tensors.Select(t => Unsqueeze(t, axis)).ToArray(), axis);

    /// <summary>
    /// The sub-tensor <c>[start, start + length)</c> along <paramref name="axis"/> (PyTorch's
    /// <c>narrow</c>; copies).
    /// </summary>
    public static Tensor Slice(this Tensor x, int axis, int start, int length)
    {
        int a = x.Shape.NormalizeAxis(axis);
        int dim = x.Shape.Dims[a];
        if (start < 0)
        {
            start += dim;
        }
        if (start < 0 || length < 0 || start + length > dim)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside axis {axis} of shape {x.Shape}.");
        }
        int outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var y = Tensor.Uninitialized(x.Shape.With(a, length));
        int len = length * inner;
        for (int o = 0; o < outer; o++)
        {
            x.Data.AsSpan((o * dim + start) * inner, len).CopyTo(y.Data.AsSpan(o * len, len));
        }
        return Tape.Record(y, [x], dy =>
        {
            for (int o = 0; o < outer; o++)
            {
                var g = x.GradData.AsSpan((o * dim + start) * inner, len);
                System.Numerics.Tensors.TensorPrimitives.Add(g, dy.Data.AsSpan(o * len, len), g);
            }
        });
    }

    /// <summary>Splits along <paramref name="axis"/> into pieces of the given sizes (which must add up to the axis length).</summary>
    public static Tensor[] Split(this Tensor x, int[] sizes, int axis)
    {
        if (sizes.Sum() != x.Shape[axis])
        {
            throw new ArgumentException($"Split sizes ({string.Join(", ", sizes)}) do not add up to axis {axis} of shape {x.Shape}.");
        }
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Slice(x, axis, start, sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    /// <summary>Splits along <paramref name="axis"/> into <paramref name="chunks"/> equal pieces.</summary>
    public static Tensor[] Chunk(this Tensor x, int chunks, int axis)
    {
        int dim = x.Shape[axis];
        if (chunks <= 0 || dim % chunks != 0)
        {
            throw new ArgumentException($"Axis {axis} of shape {x.Shape} does not split into {chunks} equal chunks.");
        }
        return Split(x, Enumerable.Repeat(dim / chunks, chunks).ToArray(), axis);
    }

    /// <summary>
    /// Picks entries <paramref name="indices"/> along <paramref name="axis"/> (PyTorch's
    /// <c>index_select</c>); repeated indices accumulate their gradients.
    /// </summary>
    public static Tensor IndexSelect(this Tensor x, int axis, int[] indices)
    {
        int a = x.Shape.NormalizeAxis(axis);
        int dim = x.Shape.Dims[a];
        foreach (int i in indices)
        {
            if (i < 0 || i >= dim)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside axis {axis} (size {dim}) of shape {x.Shape}.");
            }
        }
        int outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var y = Tensor.Uninitialized(x.Shape.With(a, indices.Length));
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < indices.Length; j++)
            {
                x.Data.AsSpan((o * dim + indices[j]) * inner, inner).CopyTo(y.Data.AsSpan((o * indices.Length + j) * inner, inner));
            }
        }
        return Tape.Record(y, [x], dy =>
        {
            for (int o = 0; o < outer; o++)
            {
                for (int j = 0; j < indices.Length; j++)
                {
                    var g = x.GradData.AsSpan((o * dim + indices[j]) * inner, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(g, dy.Data.AsSpan((o * indices.Length + j) * inner, inner), g);
                }
            }
        });
    }

    /// <summary>
    /// Embedding lookup: rows of <paramref name="weight"/> <c>(V, D)</c> for each id, giving
    /// <c>(…idsShape, D)</c>. Ids outside <c>[0, V)</c> throw.
    /// </summary>
    public static Tensor Embedding(Tensor weight, int[] ids, params int[] idsShape)
    {
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"Embedding weight must be (V, D), got {weight.Shape}.");
        }
        var shape = idsShape.Length == 0 ? [ids.Length] : idsShape;
        if (new Shape(shape).Size != ids.Length)
        {
            throw new ArgumentException($"Embedding ids shape ({string.Join(", ", shape)}) does not hold {ids.Length} ids.");
        }
        var rows = IndexSelect(weight, 0, ids);
        return Reshape(rows, [.. shape, weight.Shape[1]]);
    }

    /// <summary>
    /// PyTorch's <c>gather</c>: <c>y[…, j, …] = x[…, index[…, j, …], …]</c> along <paramref name="axis"/>;
    /// <paramref name="index"/> has the output's shape <paramref name="indexShape"/>, equal to x's
    /// except along the axis.
    /// </summary>
    public static Tensor Gather(this Tensor x, int axis, int[] index, Shape indexShape)
    {
        int a = x.Shape.NormalizeAxis(axis);
        if (indexShape.Rank != x.Rank || indexShape.Size != index.Length
            || Enumerable.Range(0, x.Rank).Any(d => d != a && indexShape.Dims[d] != x.Shape.Dims[d]))
        {
            throw new ArgumentException($"Gather index shape {indexShape} does not fit input {x.Shape} along axis {axis}.");
        }
        int dim = x.Shape.Dims[a], n = indexShape.Dims[a];
        int outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var src = new int[index.Length];
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int p = (o * n + j) * inner + i;
                    int ix = index[p];
                    if (ix < 0 || ix >= dim)
                    {
                        throw new ArgumentOutOfRangeException(nameof(index), $"Gather index {ix} is outside axis {axis} (size {dim}).");
                    }
                    src[p] = (o * dim + ix) * inner + i;
                }
            }
        }
        var y = Tensor.Uninitialized(indexShape);
        for (int p = 0; p < src.Length; p++)
        {
            y.Data[p] = x.Data[src[p]];
        }
        return Tape.Record(y, [x], dy =>
        {
            var g = x.GradData;
            for (int p = 0; p < src.Length; p++)
            {
                g[src[p]] += dy.Data[p];
            }
        });
    }
}
