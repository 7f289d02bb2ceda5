using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Promptor.Tensors.Autograd;

/// <summary>
/// Define-by-run reverse-mode autograd. Each op runs its forward kernel and calls
/// <see cref="Record"/> with a closure that holds exactly what its backward step needs.
/// <see cref="Backward"/> orders the graph topologically from the output and runs the closures
/// in reverse, then releases the graph.
/// </summary>
public static class Tape
{
    [ThreadStatic]
    private static int noGradDepth;

    /// <summary>False inside a <see cref="NoGrad"/> scope (on this thread).</summary>
    public static bool IsGradEnabled => noGradDepth == 0;

    /// <summary>
    /// Disables recording on this thread until the returned scope is disposed
    /// (<c>using (Tape.NoGrad()) { … }</c>); for inference and for optimizer updates.
    /// </summary>
    public static NoGradScope NoGrad()
    {
        noGradDepth++;
        return new NoGradScope();
    }

    /// <summary>Restores gradient recording when disposed.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Leaves the scope.</summary>
        public void Dispose() => noGradDepth--;
    }

    /// <summary>True when an op over <paramref name="inputs"/> must be recorded.</summary>
    public static bool NeedsGrad(params ReadOnlySpan<Tensor?> inputs)
    {
        if (noGradDepth != 0)
        {
            return false;
        }
        foreach (var t in inputs)
        {
            if (t is not null && t.RequiresGrad)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Attaches a backward step to <paramref name="output"/> when any input requires grad and
    /// recording is enabled; returns <paramref name="output"/>. The step receives the gradient of the
    /// output (same shape) and accumulates (<c>+=</c>) into the inputs' gradient buffers.
    /// </summary>
    internal static Tensor Record(Tensor output, Tensor?[] inputs, Action<Tensor> backward, [CallerMemberName] string opName = "")
    {
        if (!NeedsGrad(inputs))
        {
            return output;
        }
        var kept = inputs.Where(t => t is not null && t.RequiresGrad).Cast<Tensor>().ToArray();
        output.Node = new GradNode(opName, kept, backward);
        if (OpProfiler.IsRunning)
        {
            OpProfiler.Forward(opName);
        }
        output.RequiresGrad = true;
        return output;
    }

    /// <summary>Back-propagates from <paramref name="root"/>; see <see cref="Tensor.Backward"/>.</summary>
    internal static void Backward(Tensor root, Tensor? gradient)
    {
        if (!root.RequiresGrad)
        {
            throw new InvalidOperationException("Backward() on a tensor that does not require grad: no input of the computation had RequiresGrad set (or it ran under NoGrad).");
        }
        if (gradient is null && root.Size != 1)
        {
            throw new InvalidOperationException($"Backward() without a gradient needs a one-element output, got shape {root.Shape}.");
        }
        if (gradient is not null && gradient.Shape != root.Shape)
        {
            throw new ArgumentException($"Backward gradient shape {gradient.Shape} differs from the output shape {root.Shape}.");
        }

        var order = TopologicalOrder(root);
        if (gradient is null)
        {
            root.GradData[0] += 1f;
        }
        else
        {
            TensorPrimitives.Add(root.GradData, gradient.Data, root.GradData);
        }

        List<float[]>? recycled = null;
        using (NoGrad())
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                var node = t.Node!;
                if (t.HasGrad)
                {
                    if (OpProfiler.IsRunning)
                    {
                        long start = System.Diagnostics.Stopwatch.GetTimestamp();
                        node.BackwardStep!(t.Grad!);
                        OpProfiler.Backward(node.OpName, System.Diagnostics.Stopwatch.GetElapsedTime(start));
                    }
                    else
                    {
                        node.BackwardStep!(t.Grad!);
                    }
                }
                // The gradient of an intermediate is dead once its step has run, unless a view-like
                // step handed the buffer on to an input (AccumulateOrAdopt).
                if (t.ReleaseGradBuffer() is { } spent && !AdoptedByInput(node.Inputs, spent))
                {
                    TensorStoragePool.Shared.Return(spent);
                }
                if (t.RecycleAfterBackward)
                {
                    // Values may still be read by steps further down (views share storage):
                    // returned only when the whole pass is done.
                    t.RecycleAfterBackward = false;
                    (recycled ??= []).Add(t.Data);
                }
                node.Release();
                t.Node = null;
            }
        }
        if (recycled is not null)
        {
            // Views share storage: return each array once.
            foreach (var storage in recycled.Distinct(ReferenceEqualityComparer.Instance))
            {
                TensorStoragePool.Shared.Return((float[])storage!);
            }
        }
    }

    private static bool AdoptedByInput(Tensor[] inputs, float[] buffer)
    {
        foreach (var input in inputs)
        {
            if (input.OwnsGradBuffer(buffer))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Declares that <paramref name="intermediate"/> is private to the caller: neither it nor any
    /// tensor sharing its values (a reshape view) is kept or handed out after the current forward
    /// pass. Its storage then returns to the tensor pool — and is reused by later tensors of the same
    /// size — as soon as a backward pass through it completes, or at once when no graph is being
    /// recorded (inside <see cref="NoGrad"/>). A recorded intermediate that backward never reaches is
    /// left to the GC. Modules call this on the projections and activations they compute internally;
    /// calling it on a tensor that is still used corrupts that tensor's values.
    /// </summary>
    public static void RecycleAfterBackward(Tensor intermediate)
    {
        ArgumentNullException.ThrowIfNull(intermediate);
        if (!IsGradEnabled)
        {
            TensorStoragePool.Shared.Return(intermediate.Data);
        }
        else if (intermediate.Node is not null)
        {
            intermediate.RecycleAfterBackward = true;
        }
    }

    /// <summary>Non-leaf tensors reachable from the root, each after all of its inputs (iterative DFS).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        if (root.Node is null)
        {
            return order;
        }
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node!.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.Node is not null && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }
        return order;
    }

    /// <summary>
    /// Accumulates <paramref name="gradient"/> (of the broadcast shape <paramref name="from"/>) into
    /// <paramref name="target"/>'s gradient, summing over the broadcast dimensions. This is the one
    /// place broadcast gradients are reduced.
    /// </summary>
    internal static void AccumulateBroadcast(Tensor target, ReadOnlySpan<float> gradient, Shape from)
    {
        if (!target.RequiresGrad)
        {
            return;
        }
        Broadcasting.SumInto(gradient, from, target.GradData, target.Shape);
    }

    /// <summary>
    /// For view-like ops (reshape, squeeze): passes the output's gradient buffer on to
    /// <paramref name="target"/> without a copy when the target has no gradient yet, else adds it.
    /// Only valid inside a backward step that does nothing else with <paramref name="outputGradient"/>:
    /// the output's buffer is released right after its step, so the target becomes its sole owner.
    /// </summary>
    internal static void AccumulateOrAdopt(Tensor target, Tensor outputGradient)
    {
        if (!target.RequiresGrad)
        {
            return;
        }
        if (!target.HasGrad && outputGradient.Data.Length == target.Data.Length)
        {
            target.AdoptGradBuffer(outputGradient.Data);
            return;
        }
        TensorPrimitives.Add(target.GradData, outputGradient.Data, target.GradData);
    }

    /// <summary>Accumulates a same-shape gradient into <paramref name="target"/> when it requires grad.</summary>
    internal static void Accumulate(Tensor target, ReadOnlySpan<float> gradient)
    {
        if (target.RequiresGrad)
        {
            TensorPrimitives.Add(target.GradData, gradient, target.GradData);
        }
    }
}
