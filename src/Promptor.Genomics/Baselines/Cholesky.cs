using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Promptor.Genomics.Baselines;

// n: matrix order, t: number of right-hand sides, kb: block width, m: rows below the current block,
// MR × NR = 8 × 16: the register tile of the trailing update.

/// <summary>
/// Cholesky factorisation <c>A = L Lᵀ</c> of a dense symmetric positive-definite matrix in double, and
/// the triangular solves that use it. Matrices are row-major <c>n × n</c>; only the lower triangle is
/// read and it is overwritten with <c>L</c> (the strict upper triangle is scratch).
/// </summary>
internal static class Cholesky
{
    private const int BlockSize = 96;
    private const int TileRows = 8;  // MR: rows of a register tile
    private const int TileCols = 16; // NR: columns of a register tile
    private const int ChunkTiles = 16; // column slivers per L2 chunk: 16 · 16 · 96 doubles = 192 KB

    /// <summary>
    /// Factors <paramref name="a"/> in place (blocked, right-looking). Returns false when a pivot is not
    /// positive (the matrix is not numerically positive definite).
    /// </summary>
    public static bool Factor(double[] a, int n)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Length < (long)n * n)
        {
            throw new ArgumentException($"Need {n}×{n} values, got {a.Length}.", nameof(a));
        }
        int capacity = RoundUp(Math.Max(n, 1), TileCols) * BlockSize;
        var packIn = new double[capacity];   // A21 in 8-row slivers
        var packRows = new double[capacity]; // L21 in 8-row slivers
        var packCols = new double[capacity]; // L21 in 16-column slivers
        var inverse = new double[BlockSize * BlockSize];
        var packInverse = new double[BlockSize * BlockSize];
        int workers = Math.Max(1, Environment.ProcessorCount);
        for (int k0 = 0; k0 < n; k0 += BlockSize)
        {
            int kb = Math.Min(BlockSize, n - k0);
            if (!FactorDiagonalBlock(a, n, k0, kb))
            {
                return false;
            }
            int r0 = k0 + kb, m = n - r0;
            if (m == 0)
            {
                break;
            }
            int rowTiles = (m + TileRows - 1) / TileRows, colTiles = (m + TileCols - 1) / TileCols;
            int packed = colTiles * TileCols * kb;
            Array.Clear(packIn, 0, packed);
            Array.Clear(packRows, 0, packed);
            Array.Clear(packCols, 0, packed);
            for (int r = 0; r < m; r++)
            {
                var src = a.AsSpan((r0 + r) * n + k0, kb);
                int rowBase = r / TileRows * kb * TileRows + r % TileRows;
                for (int p = 0; p < kb; p++)
                {
                    packIn[rowBase + p * TileRows] = src[p];
                }
            }

            // Panel: L21 = A21 · L11⁻ᵀ. Substituting row by row is a chain of short dot products; instead
            // (as OpenBLAS's TRSM kernels do) invert the small triangle once and multiply with the
            // register tile. L11 of an SPD matrix is well conditioned enough for this in double.
            InvertLower(a, n, k0, kb, inverse);
            int outTiles = (kb + TileCols - 1) / TileCols;
            Array.Clear(packInverse, 0, outTiles * TileCols * kb);
            for (int c = 0; c < kb; c++)
            {
                int colBase = c / TileCols * kb * TileCols + c % TileCols;
                for (int p = 0; p <= c; p++)
                {
                    packInverse[colBase + p * TileCols] = inverse[c * kb + p]; // column c of L11⁻ᵀ
                }
            }
            Parallel.For(0, workers, w =>
            {
                Span<double> tile = stackalloc double[TileRows * TileCols];
                for (int h = w; h < rowTiles; h += workers)
                {
                    var rows = packIn.AsSpan(h * kb * TileRows, kb * TileRows);
                    for (int g = 0; g < outTiles; g++)
                    {
                        Multiply(rows, packInverse.AsSpan(g * kb * TileCols, kb * TileCols), kb, tile);
                        for (int q = 0; q < TileRows && h * TileRows + q < m; q++)
                        {
                            int r = h * TileRows + q;
                            int rowBase = h * kb * TileRows + q, colBase = r / TileCols * kb * TileCols + r % TileCols;
                            for (int c = 0; c < TileCols && g * TileCols + c < kb; c++)
                            {
                                int p = g * TileCols + c;
                                double v = tile[q * TileCols + c];
                                a[(r0 + r) * n + k0 + p] = v;
                                packRows[rowBase + p * TileRows] = v;
                                packCols[colBase + p * TileCols] = v;
                            }
                        }
                    }
                }
            });

            // The trailing update A22 -= L21 · L21ᵀ (lower triangle) is a GEMM. Its trick, as in the
            // engine's float GEMM: L21 is packed twice, as slivers of 8 rows and of 16 columns, each laid
            // out p-major and zero-padded, so that a register tile streams both operands contiguously.
            // Later row tiles carry more columns; interleaving tiles over workers balances the triangle.
            Parallel.For(0, workers, w =>
            {
                Span<double> tile = stackalloc double[TileRows * TileCols];
                // Column slivers in chunks that stay in L2 while this worker's row tiles pass over them.
                for (int g0 = 0; g0 < colTiles; g0 += ChunkTiles)
                {
                    for (int h = w; h < rowTiles; h += workers)
                    {
                        var rows = packRows.AsSpan(h * kb * TileRows, kb * TileRows);
                        int lastRow = h * TileRows + TileRows - 1;
                        for (int g = g0; g < g0 + ChunkTiles && g * TileCols <= lastRow; g++)
                        {
                            Multiply(rows, packCols.AsSpan(g * kb * TileCols, kb * TileCols), kb, tile);
                            SubtractTile(a, n, r0, m, h * TileRows, g * TileCols, tile);
                        }
                    }
                }
            });
        }
        return true;
    }

    /// <summary>The inverse of the lower triangle <c>L11 = A[k0.., k0..]</c> (kb × kb, row-major, lower) by forward substitution.</summary>
    private static void InvertLower(double[] a, int n, int k0, int kb, double[] inverse)
    {
        Array.Clear(inverse, 0, kb * kb);
        for (int c = 0; c < kb; c++)
        {
            inverse[c * kb + c] = 1 / a[(k0 + c) * n + k0 + c];
            for (int i = c + 1; i < kb; i++)
            {
                int ri = (k0 + i) * n + k0;
                double s = 0;
                for (int p = c; p < i; p++)
                {
                    s += a[ri + p] * inverse[p * kb + c];
                }
                inverse[i * kb + c] = -s / a[ri + i];
            }
        }
    }

    /// <summary>One 8 × 16 register tile: <c>tile[q, c] = Σ_p rows[p, q] · cols[p, c]</c>.</summary>
    private static void Multiply(ReadOnlySpan<double> rows, ReadOnlySpan<double> cols, int kb, Span<double> tile)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Tile512(rows, cols, kb, tile);
        }
        else
        {
            TilePortable(rows, cols, kb, tile);
        }
    }

    /// <summary>Unblocked Cholesky of the diagonal block <c>A[k0..k0+kb, k0..k0+kb]</c> (its left part already updated).</summary>
    private static bool FactorDiagonalBlock(double[] a, int n, int k0, int kb)
    {
        for (int j = 0; j < kb; j++)
        {
            int rj = (k0 + j) * n + k0;
            var lj = a.AsSpan(rj, j);
            double d = a[rj + j] - TensorPrimitives.Dot<double>(lj, lj);
            if (!(d > 0) || !double.IsFinite(d))
            {
                return false;
            }
            d = Math.Sqrt(d);
            a[rj + j] = d;
            for (int i = j + 1; i < kb; i++)
            {
                int ri = (k0 + i) * n + k0;
                a[ri + j] = (a[ri + j] - TensorPrimitives.Dot<double>(a.AsSpan(ri, j), lj)) / d;
            }
        }
        return true;
    }

    /// <summary>
    /// Subtracts an 8 × 16 tile from <c>A[r0 + ri .., r0 + ci ..]</c>, keeping to the lower triangle and
    /// the matrix (elements outside belong to other rows or to the padding).
    /// </summary>
    private static void SubtractTile(double[] a, int n, int r0, int m, int ri, int ci, ReadOnlySpan<double> tile)
    {
        for (int q = 0; q < TileRows && ri + q < m; q++)
        {
            int i = r0 + ri + q;
            int cols = Math.Min(TileCols, ri + q - ci + 1); // j ≤ i
            var dest = a.AsSpan(i * n + r0 + ci, cols);
            TensorPrimitives.Subtract<double>(dest, tile.Slice(q * TileCols, cols), dest);
        }
    }

    /// <summary>AVX-512: the 8 × 16 tile in 16 accumulators; each p step loads 2 column vectors and broadcasts 8 row values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512(ReadOnlySpan<double> rows, ReadOnlySpan<double> cols, int kb, Span<double> tile)
    {
        Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<double> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<double> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<double> c60 = default, c61 = default, c70 = default, c71 = default;
        ref double ra = ref MemoryMarshal.GetReference(rows);
        ref double rb = ref MemoryMarshal.GetReference(cols);
        for (int p = 0; p < kb; p++)
        {
            ref double ap = ref Unsafe.Add(ref ra, p * TileRows);
            ref double bp = ref Unsafe.Add(ref rb, p * TileCols);
            var b0 = Vector512.LoadUnsafe(ref bp);
            var b1 = Vector512.LoadUnsafe(ref bp, 8);
            var x = Vector512.Create(ap);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(Unsafe.Add(ref ap, 1));
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(Unsafe.Add(ref ap, 2));
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(Unsafe.Add(ref ap, 3));
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(Unsafe.Add(ref ap, 4));
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(Unsafe.Add(ref ap, 5));
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(Unsafe.Add(ref ap, 6));
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(Unsafe.Add(ref ap, 7));
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }
        ref double t = ref MemoryMarshal.GetReference(tile);
        c00.StoreUnsafe(ref t, 0); c01.StoreUnsafe(ref t, 8);
        c10.StoreUnsafe(ref t, 16); c11.StoreUnsafe(ref t, 24);
        c20.StoreUnsafe(ref t, 32); c21.StoreUnsafe(ref t, 40);
        c30.StoreUnsafe(ref t, 48); c31.StoreUnsafe(ref t, 56);
        c40.StoreUnsafe(ref t, 64); c41.StoreUnsafe(ref t, 72);
        c50.StoreUnsafe(ref t, 80); c51.StoreUnsafe(ref t, 88);
        c60.StoreUnsafe(ref t, 96); c61.StoreUnsafe(ref t, 104);
        c70.StoreUnsafe(ref t, 112); c71.StoreUnsafe(ref t, 120);
    }

    /// <summary>Without AVX-512: the same tile, one row at a time with <see cref="TensorPrimitives"/> (slower, same result up to rounding).</summary>
    private static void TilePortable(ReadOnlySpan<double> rows, ReadOnlySpan<double> cols, int kb, Span<double> tile)
    {
        tile.Clear();
        for (int p = 0; p < kb; p++)
        {
            var bp = cols.Slice(p * TileCols, TileCols);
            for (int q = 0; q < TileRows; q++)
            {
                var cq = tile.Slice(q * TileCols, TileCols);
                TensorPrimitives.MultiplyAdd<double>(bp, rows[p * TileRows + q], cq, cq);
            }
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// Solves <c>L Lᵀ X = B</c> in place for <paramref name="t"/> right-hand sides, <paramref name="b"/>
    /// row-major <c>n × t</c>, with <paramref name="l"/> from <see cref="Factor"/>.
    /// </summary>
    public static void Solve(double[] l, int n, double[] b, int t)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(b);
        if (b.Length < (long)n * t)
        {
            throw new ArgumentException($"Need {n}×{t} right-hand-side values, got {b.Length}.", nameof(b));
        }
        // L y = b: row i of L against the rows already solved.
        for (int i = 0; i < n; i++)
        {
            var bi = b.AsSpan(i * t, t);
            var li = l.AsSpan(i * n, i);
            for (int j = 0; j < i; j++)
            {
                if (li[j] != 0)
                {
                    TensorPrimitives.MultiplyAdd<double>(b.AsSpan(j * t, t), -li[j], bi, bi);
                }
            }
            TensorPrimitives.Divide<double>(bi, l[i * n + i], bi);
        }
        // Lᵀ x = y, column-oriented so that L is read by rows: once x_i is known, remove it from the rows above.
        for (int i = n - 1; i >= 0; i--)
        {
            var xi = b.AsSpan(i * t, t);
            TensorPrimitives.Divide<double>(xi, l[i * n + i], xi);
            var li = l.AsSpan(i * n, i);
            for (int j = 0; j < i; j++)
            {
                if (li[j] != 0)
                {
                    var bj = b.AsSpan(j * t, t);
                    TensorPrimitives.MultiplyAdd<double>(xi, -li[j], bj, bj);
                }
            }
        }
    }

    /// <summary>The textbook unblocked algorithm (Cholesky–Banachiewicz): the oracle of <see cref="Factor"/>.</summary>
    public static bool FactorReference(double[] a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++)
                {
                    s -= a[i * n + p] * a[j * n + p];
                }
                if (i == j)
                {
                    if (!(s > 0))
                    {
                        return false;
                    }
                    a[i * n + i] = Math.Sqrt(s);
                }
                else
                {
                    a[i * n + j] = s / a[j * n + j];
                }
            }
        }
        return true;
    }
}
