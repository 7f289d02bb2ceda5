namespace Promptor.Tensors.Kernels;

/// <summary>Which implementation runs <see cref="Gemm"/>; see <see cref="Gemm.Backend"/>.</summary>
public enum GemmBackend
{
    /// <summary>The default: the managed kernel (it needs no native library).</summary>
    Auto,

    /// <summary>Promptor's own packed, register-blocked kernel (AVX-512, AVX2 or portable).</summary>
    Managed,

    /// <summary><c>cblas_sgemm</c> from the system OpenBLAS library.</summary>
    OpenBlas,
}
