namespace Promptor.Tensors.Kernels;

/// <summary>
/// A weight matrix <c>W (N, K)</c> packed once into the B panels the managed GEMM multiplies with,
/// for products <c>A · Wᵀ</c> repeated with the same weights (decoding one token at a time, where a
/// 16-row product otherwise spends about half its time packing W again). The panels are the ones
/// <see cref="GemmManaged"/> would pack for that N and K — every KC × NC block in the order of its
/// loops — in pinned memory, so their addresses hold for the object's life.
/// </summary>
internal sealed unsafe class PackedWeight
{
    private readonly float[] _storage;
    private readonly long[] _offsets;
    private readonly int _kBlocks;

    private PackedWeight(int n, int k, int nc, int kc)
    {
        N = n;
        K = k;
        Nc = nc;
        Kc = kc;
        int nBlocks = (n + nc - 1) / nc;
        _kBlocks = (k + kc - 1) / kc;
        _offsets = new long[nBlocks * _kBlocks];
        long total = 0;
        for (int jb = 0; jb < nBlocks; jb++)
        {
            int ncCur = Math.Min(nc, n - jb * nc);
            for (int pb = 0; pb < _kBlocks; pb++)
            {
                int kcCur = Math.Min(kc, k - pb * kc);
                _offsets[jb * _kBlocks + pb] = total;
                total += (long)(ncCur + Avx512Kernel8x32.Nr - 1) / Avx512Kernel8x32.Nr * Avx512Kernel8x32.Nr * kcCur;
                total = (total + 15) & ~15L;                 // each panel on a 64-byte line
            }
        }
        _storage = GC.AllocateUninitializedArray<float>((int)total + 16, pinned: true);
    }

    /// <summary>Rows of W (columns of the product).</summary>
    public int N { get; }

    /// <summary>Columns of W (the product's depth).</summary>
    public int K { get; }

    /// <summary>Block width and depth the panels were cut with.</summary>
    public int Nc { get; }

    /// <inheritdoc cref="Nc"/>
    public int Kc { get; }

    /// <summary>Whether prepacked products can run here: they use the AVX-512 micro-kernel's panel width.</summary>
    public static bool IsSupported => GemmManaged.BestKernel == GemmKernelKind.Avx512;

    /// <summary>Packs <paramref name="weight"/> <c>(N, K)</c>, row-major, for products <c>A · Wᵀ</c>.</summary>
    public static PackedWeight Pack(ReadOnlySpan<float> weight, int n, int k)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Prepacked weights need the AVX-512 GEMM kernel.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (weight.Length < (long)n * k)
        {
            throw new ArgumentException($"The weight needs {(long)n * k} values but holds {weight.Length}.", nameof(weight));
        }
        (int nc, int kc) = GemmManaged.PanelBlocking(n, k);
        var packed = new PackedWeight(n, k, nc, kc);
        fixed (float* w = weight)
        {
            for (int jc = 0, jb = 0; jc < n; jc += nc, jb++)
            {
                for (int pc = 0, pb = 0; pc < k; pc += kc, pb++)
                {
                    GemmPacking.PackTranspose(w + (long)jc * k + pc, k, Math.Min(nc, n - jc), Math.Min(kc, k - pc),
                        Avx512Kernel8x32.Nr, packed.Panel(jb, pb));
                }
            }
        }
        return packed;
    }

    /// <summary>The packed block of column block <paramref name="jb"/> and depth block <paramref name="pb"/>.</summary>
    public float* Panel(int jb, int pb)
    {
        // Pinned storage: the address is fixed for the array's life.
        float* first = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _storage[0]);
        float* aligned = (float*)(((nint)first + 63) & ~(nint)63);
        return aligned + _offsets[jb * _kBlocks + pb];
    }
}
