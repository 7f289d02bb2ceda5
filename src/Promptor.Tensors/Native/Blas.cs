using System.Reflection;
using System.Runtime.InteropServices;

namespace Promptor.Tensors.Native;

/// <summary>
/// The optional OpenBLAS binding. The library is looked up once, without throwing, under the
/// names distributions ship it as; <see cref="IsAvailable"/> reports the outcome. Callers pin
/// their spans with <c>fixed</c> for the duration of one call only: no native handle or
/// pointer outlives a call.
/// </summary>
internal static unsafe partial class Blas
{
    // The logical name every import below uses; the resolver maps it to whatever file was found.
    private const string Library = "openblas";

    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    // Debian/Ubuntu ship only the versioned soname unless the -dev package is installed.
    private static readonly string[] Candidates =
        ["libopenblas.so.0", "libopenblas.so", "openblas", "libopenblas.dylib", "libopenblas.dll"];

    private static readonly nint Handle = Load();

    private static int _threads;

    static Blas()
    {
        // One resolver per assembly is allowed; any future native import of Promptor.Tensors
        // belongs in this class so that it shares this resolver.
        NativeLibrary.SetDllImportResolver(typeof(Blas).Assembly, Resolve);
    }

    /// <summary>Whether an OpenBLAS library exporting <c>cblas_sgemm</c> was found.</summary>
    public static bool IsAvailable { get; } = Handle != 0 && NativeLibrary.TryGetExport(Handle, "cblas_sgemm", out _);

    /// <summary>OpenBLAS's name for the kernel family it picked (e.g. <c>SkylakeX</c>, <c>Haswell</c>), or null.</summary>
    public static string? CoreName =>
        IsAvailable && NativeLibrary.TryGetExport(Handle, "openblas_get_corename", out _)
            ? Marshal.PtrToStringUTF8((nint)GetCoreName())
            : null;

    /// <summary>Row-major <c>C = alpha · op(A) · op(B) + beta · C</c> through <c>cblas_sgemm</c>; all sizes ≥ 1.</summary>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads)
    {
        if (threads != _threads && NativeLibrary.TryGetExport(Handle, "openblas_set_num_threads", out _))
        {
            SetNumThreads(threads);
            _threads = threads;
        }

        CblasSgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans,
            m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    private static partial void CblasSgemm(
        int order, int transA, int transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    private static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    private static partial byte* GetCoreName();

    private static nint Load()
    {
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }

        return 0;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        => name == Library ? Handle : 0;
}
