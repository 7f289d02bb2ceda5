using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Matrix product <c>op(a) @ op(b)</c> over the last two dims, where <c>op</c> transposes when the
    /// flag is set. <paramref name="a"/> is <c>(…, M, K)</c> (or <c>(…, K, M)</c> transposed),
    /// <paramref name="b"/> is <c>(…, K, N)</c> (or <c>(…, N, K)</c>); leading batch dims broadcast.
    /// A 1-D <paramref name="b"/> is treated as a column <c>(K, 1)</c> and the result squeezed, as in
    /// NumPy. Result: <c>(…, M, N)</c>.
    /// </summary>
    public static Tensor MatMul(this Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank < 2)
        {
            throw new ArgumentException($"MatMul needs a of rank ≥ 2, got {a.Shape}.");
        }
        if (b.Rank == 1)
        {
            var col = MatMul(a, Reshape(b, transposeB ? [1, b.Size] : [b.Size, 1]), transposeA, transposeB);
            return Reshape(col, col.Shape.Dims[..^1].ToArray());
        }
        if (b.Rank == 2 && a.Rank > 2 && !transposeA)
        {
            // (…, M, K) @ (K, N): one tall GEMM instead of a batch of small ones (and one
            // contiguous weight-gradient product in backward).
            int rows = a.Size / a.Shape[-1];
            var flat = MatMul(Reshape(a, rows, a.Shape[-1]), b, false, transposeB);
            return Reshape(flat, [.. a.Shape.Dims[..^1], flat.Shape[-1]]);
        }
        int m = transposeA ? a.Shape[-1] : a.Shape[-2];
        int ka = transposeA ? a.Shape[-2] : a.Shape[-1];
        int kb = transposeB ? b.Shape[-1] : b.Shape[-2];
        int n = transposeB ? b.Shape[-2] : b.Shape[-1];
        if (ka != kb)
        {
            throw new ArgumentException($"MatMul inner dimensions differ: a {a.Shape}{(transposeA ? "ᵀ" : "")} and b {b.Shape}{(transposeB ? "ᵀ" : "")}.");
        }
        int k = ka;
        var batchA = new Shape(a.Shape.Dims[..^2]);
        var batchB = new Shape(b.Shape.Dims[..^2]);
        var batch = Broadcasting.Shapes(batchA, batchB);
        var outShape = new Shape([.. batch.Dims, m, n]);
        var y = k == 0 ? new Tensor(outShape) : Tensor.Uninitialized(outShape); // beta = 0 overwrites every entry
        var plan = BatchPlan.Create(batchA, batchB, batch);
        int sizeA = m * k, sizeB = k * n, sizeY = m * n;

        plan.Run((ia, ib, iy, count, strideA, strideB) => Gemm.MultiplyBatched(transposeA, transposeB, m, n, k, 1f,
            a.Data.AsSpan(ia * sizeA), strideA * sizeA, b.Data.AsSpan(ib * sizeB), strideB * sizeB,
            0f, y.Data.AsSpan(iy * sizeY), sizeY, count));

        return Tape.Record(y, [a, b], dy =>
        {
            if (a.RequiresGrad)
            {
                // dA = dY · op(B)ᵀ, or its transpose when A was used transposed.
                plan.RunBackward(forA: true, (ia, ib, iy, count, strideA, strideB) =>
                {
                    var dYi = dy.Data.AsSpan(iy * sizeY);
                    var bi = b.Data.AsSpan(ib * sizeB);
                    var dAi = a.GradData.AsSpan(ia * sizeA);
                    if (!transposeA)
                    {
                        Gemm.MultiplyBatched(false, !transposeB, m, k, n, 1f, dYi, sizeY, bi, strideB * sizeB, 1f, dAi, sizeA, count);
                    }
                    else
                    {
                        Gemm.MultiplyBatched(transposeB, true, k, m, n, 1f, bi, strideB * sizeB, dYi, sizeY, 1f, dAi, sizeA, count);
                    }
                });
            }
            if (b.RequiresGrad)
            {
                // dB = op(A)ᵀ · dY, or its transpose when B was used transposed.
                plan.RunBackward(forA: false, (ia, ib, iy, count, strideA, strideB) =>
                {
                    var dYi = dy.Data.AsSpan(iy * sizeY);
                    var ai = a.Data.AsSpan(ia * sizeA);
                    var dBi = b.GradData.AsSpan(ib * sizeB);
                    if (!transposeB)
                    {
                        Gemm.MultiplyBatched(!transposeA, false, k, n, m, 1f, ai, strideA * sizeA, dYi, sizeY, 1f, dBi, sizeB, count);
                    }
                    else
                    {
                        Gemm.MultiplyBatched(true, transposeA, n, k, m, 1f, dYi, sizeY, ai, strideA * sizeA, 1f, dBi, sizeB, count);
                    }
                });
            }
        });
    }

    /// <summary>
    /// How the batch dims of two matmul operands map onto the broadcast batch: the common cases
    /// (equal batches, or one operand without batch dims) become one strided batched GEMM;
    /// anything else falls back to one GEMM per output matrix.
    /// </summary>
    private sealed class BatchPlan
    {
        private readonly int[] indexA;
        private readonly int[] indexB;
        private readonly int strideA;
        private readonly int strideB;

        private BatchPlan(int[] indexA, int[] indexB, int strideA, int strideB)
        {
            this.indexA = indexA;
            this.indexB = indexB;
            this.strideA = strideA;
            this.strideB = strideB;
        }

        public int Count => indexA.Length;

        public static BatchPlan Create(Shape batchA, Shape batchB, Shape batch)
        {
            int count = batch.Size;
            var ia = new int[count];
            var ib = new int[count];
            var strA = BroadcastIndexStrides(batchA, batch);
            var strB = BroadcastIndexStrides(batchB, batch);
            var idx = new int[batch.Rank];
            for (int i = 0; i < count; i++)
            {
                int oa = 0, ob = 0;
                for (int d = 0; d < batch.Rank; d++)
                {
                    oa += idx[d] * strA[d];
                    ob += idx[d] * strB[d];
                }
                ia[i] = oa;
                ib[i] = ob;
                for (int d = batch.Rank - 1; d >= 0; d--)
                {
                    if (++idx[d] < batch.Dims[d])
                    {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            int sA = batchA.Size == count ? 1 : batchA.Size == 1 ? 0 : -1;
            int sB = batchB.Size == count ? 1 : batchB.Size == 1 ? 0 : -1;
            return new BatchPlan(ia, ib, sA, sB);
        }

        private static int[] BroadcastIndexStrides(Shape s, Shape batch)
        {
            var strides = new int[batch.Rank];
            int stride = 1;
            for (int d = batch.Rank - 1; d >= 0; d--)
            {
                int j = d - (batch.Rank - s.Rank);
                int dim = j >= 0 ? s.Dims[j] : 1;
                strides[d] = dim == 1 ? 0 : stride;
                stride *= dim;
            }
            return strides;
        }

        /// <summary>Forward: strided batched GEMM when the plan is regular, else one call per matrix.</summary>
        public void Run(Action<int, int, int, int, int, int> batched)
        {
            if (Count == 0)
            {
                return;
            }
            if (strideA >= 0 && strideB >= 0)
            {
                batched(0, 0, 0, Count, strideA, strideB);
                return;
            }
            for (int i = 0; i < Count; i++)
            {
                batched(indexA[i], indexB[i], i, 1, 0, 0);
            }
        }

        /// <summary>
        /// Backward for one operand. When that operand has its own matrix per batch entry the
        /// gradients are disjoint and one batched call computes them all; when it was broadcast,
        /// its gradient is a sum over the batch, so products run one after another into it.
        /// </summary>
        public void RunBackward(bool forA, Action<int, int, int, int, int, int> batched)
        {
            int own = forA ? strideA : strideB;
            if (Count == 0)
            {
                return;
            }
            if (own == 1 && strideA >= 0 && strideB >= 0)
            {
                batched(0, 0, 0, Count, strideA, strideB);
                return;
            }
            for (int i = 0; i < Count; i++)
            {
                batched(indexA[i], indexB[i], i, 1, 0, 0);
            }
        }
    }
}
