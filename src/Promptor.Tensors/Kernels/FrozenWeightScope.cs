using System.Runtime.CompilerServices;

namespace Promptor.Tensors.Kernels;

/// <summary>
/// The weights packed once for <see cref="Ops.FreezeWeights"/>: per thread, one packed copy per
/// weight tensor (by reference), made on first use while the scope is open.
/// </summary>
internal sealed class FrozenWeightScope : IDisposable
{
    [ThreadStatic]
    private static FrozenWeightScope? current;

    private readonly Dictionary<Tensor, PackedWeight> _packed = new(ReferenceEqualityComparer.Instance);

    /// <summary>The scope open on this thread, or null.</summary>
    public static FrozenWeightScope? Current => current;

    /// <summary>Opens a scope on this thread; inside an open one, returns a handle that does nothing.</summary>
    public static IDisposable Open()
    {
        if (current is not null)
        {
            return Inner.Instance;
        }
        current = new FrozenWeightScope();
        return current;
    }

    /// <summary>The handle of a scope opened inside another: the outer one keeps its packed weights.</summary>
    private sealed class Inner : IDisposable
    {
        public static readonly Inner Instance = new();

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// The packed copy of <paramref name="weight"/> <c>(O, I)</c>, made now if this is its first use; null
    /// where prepacked products cannot run (no AVX-512, or an empty weight).
    /// </summary>
    public PackedWeight? Packed(Tensor weight)
    {
        if (!PackedWeight.IsSupported || weight.Rank != 2 || weight.Size == 0)
        {
            return null;
        }
        if (!_packed.TryGetValue(weight, out var packed))
        {
            packed = PackedWeight.Pack(weight.Data, weight.Shape[0], weight.Shape[1]);
            _packed[weight] = packed;
        }
        return packed;
    }

    /// <summary>Closes the scope and drops the packed copies.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(current, this))
        {
            current = null;
        }
        _packed.Clear();
    }
}
