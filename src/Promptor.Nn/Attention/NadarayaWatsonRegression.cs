using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>
/// Nadaraya–Watson kernel regression on scalars: the prediction at a query x is the attention-weighted
/// mean of the training targets, <c>f(x) = Σᵢ softmax(−½((x − xᵢ)·w)²) yᵢ</c> (Nadaraya 1964,
/// Watson 1964; d2l §11.2). Non-parametric with w fixed at 1 by default; with <c>learnable</c> the
/// inverse bandwidth w is the parameter <c>kernel.w</c> and can be trained by gradient descent
/// (e.g. <see cref="Optim.Sgd"/>), as in d2l's <c>NWKernelRegression</c>.
/// </summary>
public sealed class NadarayaWatsonRegression : Module
{
    private readonly AttentionPooling pooling;

    /// <summary>Creates the regression.</summary>
    /// <param name="w">The (initial) inverse bandwidth (finite; default 1).</param>
    /// <param name="learnable">Whether w is trainable (default false: non-parametric).</param>
    public NadarayaWatsonRegression(float w = 1f, bool learnable = false)
    {
        Kernel = RegisterModule("kernel", new GaussianKernelScore(w, learnable));
        // The pooling only routes through the kernel; the kernel is registered here, under "kernel".
        pooling = new AttentionPooling(Kernel);
    }

    /// <summary>The Gaussian kernel score holding w.</summary>
    public GaussianKernelScore Kernel { get; }

    /// <summary>
    /// Predicts at <paramref name="queries"/> <c>(n)</c> from training inputs <paramref name="keys"/>
    /// and targets <paramref name="values"/>, either shared by all queries, both <c>(m)</c>, or one set
    /// per query, both <c>(n, m)</c> (e.g. leave-one-out training, where query i's keys exclude xᵢ).
    /// </summary>
    /// <returns>Predictions <c>(n)</c> (Output) and the weights <c>(n, m)</c> (Weights; rows sum to 1).</returns>
    public PooledAttention Forward(Tensor queries, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        int n = queries.Rank == 1 ? queries.Shape[0] : -1;
        bool shared = keys.Rank == 1 && values.Shape == keys.Shape;
        bool perQuery = keys.Rank == 2 && keys.Shape[0] == n && values.Shape == keys.Shape;
        if (n < 0 || !(shared || perQuery))
        {
            throw new ArgumentException(
                $"Nadaraya–Watson expects queries (n) with keys and values both (m) or both (n, m); got {queries.Shape}, {keys.Shape} and {values.Shape}.");
        }
        int m = keys.Shape[-1];
        PooledAttention result;
        if (shared)
        {
            // One batch row: n queries against the same m keys, width 1.
            result = pooling.Forward(queries.Reshape(1, n, 1), keys.Reshape(1, m, 1), values.Reshape(1, m, 1));
        }
        else
        {
            // n batch rows, each a single query against its own m keys.
            result = pooling.Forward(queries.Reshape(n, 1, 1), keys.Reshape(n, m, 1), values.Reshape(n, m, 1));
        }
        return new PooledAttention(result.Output.Reshape(n), result.Weights.Reshape(n, m));
    }
}
