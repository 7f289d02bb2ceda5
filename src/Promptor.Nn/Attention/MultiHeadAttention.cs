using System.Globalization;
using Promptor.Nn.Init;
using Promptor.Nn.Layers;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Nn.Attention;

/// <summary>
/// Multi-head attention, self or cross, with PyTorch's parameter names and layouts
/// (<c>in_proj_weight</c> (3E, E) packed as [W_q; W_k; W_v], or <c>q_proj_weight</c>,
/// <c>k_proj_weight</c>, <c>v_proj_weight</c>; <c>in_proj_bias</c> (3E); <c>out_proj.weight</c>,
/// <c>out_proj.bias</c>), so weights move between the two. Queries <c>(B, Tq, E)</c> attend keys
/// <c>(B, Tk, kdim)</c> and values <c>(B, Tk, vdim)</c>; head h uses features
/// <c>[h·E/H, (h+1)·E/H)</c>. Without requested weights (and without dropout in training) the fused
/// attention kernel runs on the projections in place — no <c>Tq × Tk</c> matrix, no head split or
/// merge copy — and the intermediates' storage is recycled after backward.
/// <para>
/// <see cref="HeadGates"/> <c>(H)</c>, all ones by default, multiplies each head's output before the
/// output projection: set entries to 0 to prune heads, or make it require grad to measure head
/// importance from its gradient.
/// </para>
/// </summary>
public sealed class MultiHeadAttention : Module, IModule, IContextModule
{
    private Generator dropoutGenerator;

    /// <summary>Creates the layer, initialised as PyTorch does (Xavier-uniform projections, zero biases).</summary>
    public MultiHeadAttention(MultiHeadAttentionOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        int e = options.EmbedDim;
        if (options.UsesSeparateProjections)
        {
            QueryWeight = RegisterParameter("q_proj_weight", new Parameter(new Shape(e, e)));
            KeyWeight = RegisterParameter("k_proj_weight", new Parameter(new Shape(e, options.KeyWidth)));
            ValueWeight = RegisterParameter("v_proj_weight", new Parameter(new Shape(e, options.ValueWidth)));
            Initializers.XavierUniform(QueryWeight, generator);
            Initializers.XavierUniform(KeyWeight, generator);
            Initializers.XavierUniform(ValueWeight, generator);
        }
        else
        {
            InProjWeight = RegisterParameter("in_proj_weight", new Parameter(new Shape(3 * e, e)));
            Initializers.XavierUniform(InProjWeight, generator);
        }
        if (options.Bias)
        {
            InProjBias = RegisterParameter("in_proj_bias", new Parameter(new Shape(3 * e)));
        }
        OutProj = RegisterModule("out_proj", new Linear(e, e, generator, options.Bias));
        if (OutProj.Bias is not null)
        {
            Initializers.Zeros(OutProj.Bias);
        }
        HeadGates = RegisterBuffer("head_gates", Tensor.Ones(options.Heads), persistent: false);
        dropoutGenerator = new Generator(generator.NextUInt64());
    }

    /// <summary>The options this layer was built with.</summary>
    public MultiHeadAttentionOptions Options { get; }

    /// <summary>
    /// Restarts the random stream of the attention-weight dropout from <paramref name="seed"/>, so that
    /// a training loop can make every epoch's masks a function of (seed, epoch) and resume exactly.
    /// </summary>
    public void Reseed(ulong seed) => dropoutGenerator = new Generator(seed);

    /// <summary>Packed <c>(3E, E)</c> input projection, or null with separate projections.</summary>
    public Parameter? InProjWeight { get; }

    /// <summary>Query projection <c>(E, E)</c> when projections are separate.</summary>
    public Parameter? QueryWeight { get; }

    /// <summary>Key projection <c>(E, kdim)</c> when projections are separate.</summary>
    public Parameter? KeyWeight { get; }

    /// <summary>Value projection <c>(E, vdim)</c> when projections are separate.</summary>
    public Parameter? ValueWeight { get; }

    /// <summary>Packed input-projection bias <c>(3E)</c>, or null without biases.</summary>
    public Parameter? InProjBias { get; }

    /// <summary>The output projection <c>E → E</c>.</summary>
    public Linear OutProj { get; }

    /// <summary>Per-head multiplicative gates <c>(H)</c>, ones by default (not saved in checkpoints).</summary>
    public Tensor HeadGates { get; }

    /// <summary>Self-attention of <paramref name="input"/> <c>(B, T, E)</c> → <c>(B, T, E)</c>.</summary>
    public Tensor Forward(Tensor input) => Forward(input, input, input).Output;

    /// <summary>Cross-attention: queries from <paramref name="input"/>, keys and values from <paramref name="context"/>.</summary>
    public Tensor Forward(Tensor input, Tensor context) => Forward(input, context, context).Output;

    /// <summary>
    /// Attention of <paramref name="query"/> <c>(B, Tq, E)</c> over <paramref name="key"/>
    /// <c>(B, Tk, kdim)</c> and <paramref name="value"/> <c>(B, Tk, vdim)</c> → <c>(B, Tq, E)</c>.
    /// With <paramref name="needWeights"/> the weights come back averaged over heads
    /// <c>(B, Tq, Tk)</c>, or per head <c>(B, H, Tq, Tk)</c> when <paramref name="averageWeights"/> is false.
    /// </summary>
    public AttentionResult Forward(Tensor query, Tensor key, Tensor value, AttentionMask? mask = null,
        bool needWeights = false, bool averageWeights = true)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        int e = Options.EmbedDim;
        if (query.Rank != 3 || key.Rank != 3 || value.Rank != 3 || query.Shape[-1] != e
            || key.Shape[-1] != Options.KeyWidth || value.Shape[-1] != Options.ValueWidth
            || key.Shape[0] != query.Shape[0] || value.Shape[0] != query.Shape[0] || key.Shape[1] != value.Shape[1])
        {
            throw new ArgumentException(
                $"MultiHeadAttention(E={e}, kdim={Options.KeyWidth}, vdim={Options.ValueWidth}) expects query (B, Tq, {e}), key (B, Tk, {Options.KeyWidth}), value (B, Tk, {Options.ValueWidth}); got {query.Shape}, {key.Shape}, {value.Shape}.");
        }
        bool dropout = IsTraining && Options.Dropout > 0;
        if (!needWeights && !(dropout && mask?.Bias is { RequiresGrad: true }))
        {
            return new AttentionResult(FusedForward(query, key, value, mask, dropout ? Options.Dropout : 0f), null);
        }
        var (q, k, v) = Project(query, key, value);
        q = SplitHeads(q);                                          // (B, H, Tq, D)
        k = SplitHeads(k);                                          // (B, H, Tk, D)
        v = SplitHeads(v);                                          // (B, H, Tk, D)

        var (heads, weights) = Ops.ScaledDotProductAttentionWithWeights(q, k, v, mask,
            dropout: dropout ? Options.Dropout : 0f, generator: dropoutGenerator);
        if (GatesActive())
        {
            heads = heads * HeadGates.Reshape(1, Options.Heads, 1, 1);
        }
        var merged = heads.Permute(0, 2, 1, 3).Reshape(query.Shape[0], query.Shape[1], e); // (B, Tq, E)
        var output = OutProj.Forward(merged);
        if (!needWeights)
        {
            return new AttentionResult(output, null);
        }
        return new AttentionResult(output, averageWeights ? weights.Mean(1) : weights);
    }

    /// <summary>
    /// The path without weights or dropout: projections as single ops with their bias, the fused
    /// kernel reading the heads in place from the projections (for self-attention from the packed
    /// <c>(B, T, 3E)</c> one) and writing them merged, then the output projection. The projected
    /// q/k/v and the merged heads never leave this method, so their storage is recycled once
    /// backward has used them (or at once without recording).
    /// </summary>
    private Tensor FusedForward(Tensor query, Tensor key, Tensor value, AttentionMask? mask, float dropout)
    {
        int e = Options.EmbedDim, h = Options.Heads;
        Tensor? BiasPart(int i) => InProjBias?.Slice(0, i * e, e);
        Tensor heads;
        Tensor[] projections;
        if (InProjWeight is not null && ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            var packed = query.Linear(InProjWeight, InProjBias);   // (B, T, 3E)
            heads = Ops.PackedSelfAttention(packed, h, mask, dropout: dropout, generator: dropoutGenerator); // (B, T, E)
            projections = [packed];
        }
        else
        {
            Tensor Weight(int i, Parameter? separate) => InProjWeight?.Slice(0, i * e, e) ?? separate!;
            var q = query.Linear(Weight(0, QueryWeight), BiasPart(0));
            var k = key.Linear(Weight(1, KeyWeight), BiasPart(1));
            var v = value.Linear(Weight(2, ValueWeight), BiasPart(2));
            heads = Ops.MultiHeadScaledDotProductAttention(q, k, v, h, mask, dropout: dropout, generator: dropoutGenerator);
            projections = [q, k, v];
        }
        var merged = heads;
        if (GatesActive())
        {
            int b = heads.Shape[0], t = heads.Shape[1];
            merged = (heads.Reshape(b, t, h, e / h) * HeadGates.Reshape(1, 1, h, 1)).Reshape(b, t, e);
        }
        var output = merged.Linear(OutProj.Weight, OutProj.Bias);
        foreach (var p in projections)
        {
            Tape.RecycleAfterBackward(p);
        }
        Tape.RecycleAfterBackward(heads);
        if (!ReferenceEquals(merged, heads))
        {
            Tape.RecycleAfterBackward(merged);
        }
        return output;
    }

    private bool GatesActive()
    {
        if (HeadGates.RequiresGrad)
        {
            return true;
        }
        foreach (float g in HeadGates.Data)
        {
            if (g != 1f)
            {
                return true;
            }
        }
        return false;
    }

    private (Tensor Q, Tensor K, Tensor V) Project(Tensor query, Tensor key, Tensor value)
    {
        int e = Options.EmbedDim;
        Tensor? BiasPart(int i) => InProjBias?.Slice(0, i * e, e);
        if (InProjWeight is not null)
        {
            if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
            {
                // Self-attention: one (B·T, E) × (E, 3E) product instead of three.
                var qkv = query.MatMul(InProjWeight, transposeB: true);
                if (InProjBias is not null)
                {
                    qkv = qkv + InProjBias;
                }
                var parts = qkv.Chunk(3, -1);
                return (parts[0], parts[1], parts[2]);
            }
            return (Affine(query, InProjWeight.Slice(0, 0, e), BiasPart(0)),
                Affine(key, InProjWeight.Slice(0, e, e), BiasPart(1)),
                Affine(value, InProjWeight.Slice(0, 2 * e, e), BiasPart(2)));
        }
        return (Affine(query, QueryWeight!, BiasPart(0)), Affine(key, KeyWeight!, BiasPart(1)), Affine(value, ValueWeight!, BiasPart(2)));
    }

    private static Tensor Affine(Tensor x, Tensor weight, Tensor? bias)
    {
        var y = x.MatMul(weight, transposeB: true);
        return bias is null ? y : y + bias;
    }

    private Tensor SplitHeads(Tensor x)
    {
        int h = Options.Heads;
        return x.Reshape(x.Shape[0], x.Shape[1], h, Options.EmbedDim / h).Permute(0, 2, 1, 3);
    }

    /// <inheritdoc/>
    protected override string ExtraRepresentation => string.Create(CultureInfo.InvariantCulture,
        $"embed_dim={Options.EmbedDim}, heads={Options.Heads}, kdim={Options.KeyWidth}, vdim={Options.ValueWidth}, bias={Options.Bias}, dropout={Options.Dropout}");
}
