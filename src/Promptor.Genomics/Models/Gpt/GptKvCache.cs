using Promptor.Tensors;

namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// The keys and values of one generation (one batch of sequences) for incremental decoding with
/// <see cref="Gpt.ForwardIncremental"/>: per layer a key and a value buffer <c>(B, H, T_max, D)</c>,
/// preallocated to the model's context length, of which positions <c>0 .. Length − 1</c> are
/// filled. Each incremental step writes only its new positions, so decoding never copies the
/// past. Create one with <see cref="Gpt.CreateCache"/>; it also holds the batch's labels.
/// </summary>
public sealed class GptKvCache
{
    private readonly float[][] keys;
    private readonly float[][] values;

    internal GptKvCache(GptOptions options, int batch, int[]? labels, Tensor? context)
    {
        Batch = batch;
        Layers = options.Blocks;
        Heads = options.Heads;
        HeadDim = options.HeadDim;
        Capacity = options.ContextLength;
        Labels = labels;
        Context = context;
        int size = checked(batch * Heads * Capacity * HeadDim);
        keys = new float[Layers][];
        values = new float[Layers][];
        for (int l = 0; l < Layers; l++)
        {
            keys[l] = new float[size];
            values[l] = new float[size];
        }
    }

    /// <summary>Number of sequences B.</summary>
    public int Batch { get; }

    /// <summary>Number of layers (blocks).</summary>
    public int Layers { get; }

    /// <summary>Heads H.</summary>
    public int Heads { get; }

    /// <summary>Head width D.</summary>
    public int HeadDim { get; }

    /// <summary>Positions the cache can hold: the model's context length.</summary>
    public int Capacity { get; }

    /// <summary>Positions filled so far; the next token is encoded at this position.</summary>
    public int Length { get; private set; }

    /// <summary>The batch's labels <c>(B)</c> (conditional models), or null.</summary>
    public IReadOnlyList<int>? Labels { get; }

    /// <summary>The cross-attention context <c>(B, K, d)</c> of the labels, computed once, or null.</summary>
    internal Tensor? Context { get; }

    /// <summary>Forgets every position (the buffers are reused).</summary>
    public void Reset() => Length = 0;

    /// <summary>A copy of layer <paramref name="layer"/>'s keys for the filled positions, <c>(B, H, Length, D)</c>.</summary>
    public Tensor CachedKeys(int layer) => Copy(keys[layer]);

    /// <summary>A copy of layer <paramref name="layer"/>'s values for the filled positions, <c>(B, H, Length, D)</c>.</summary>
    public Tensor CachedValues(int layer) => Copy(values[layer]);

    internal float[] KeyBuffer(int layer) => keys[layer];

    internal float[] ValueBuffer(int layer) => values[layer];

    internal void Advance(int count) => Length += count;

    private Tensor Copy(float[] buffer)
    {
        var t = new Tensor(new Shape(Batch, Heads, Length, HeadDim));
        int rows = Length * HeadDim;
        for (int bh = 0; bh < Batch * Heads; bh++)
        {
            buffer.AsSpan(bh * Capacity * HeadDim, rows).CopyTo(t.Data.AsSpan(bh * rows, rows));
        }
        return t;
    }
}
