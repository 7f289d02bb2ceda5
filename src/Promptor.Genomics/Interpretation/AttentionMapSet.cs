namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Base-pair attention maps of a set of genes: for every gene × treatment, one map per cross-attention
/// head and their average, each <c>(L)</c> and summing to 1 (the head average is the mean of the head
/// maps). Stored gene-major as <c>(G, nT, S, L)</c> with <c>S = H + 1</c> slots, the head average last,
/// or <c>S = 1</c> (average only) when heads were not kept. <see cref="Encoded"/> holds the same
/// weights at the model's encoded positions, <c>(G, nT, S, T')</c>.
/// </summary>
public sealed class AttentionMapSet
{
    /// <summary>Wraps computed maps (arrays are not copied).</summary>
    /// <exception cref="ArgumentException">Array sizes do not match the counts.</exception>
    public AttentionMapSet(IReadOnlyList<string> genes, IReadOnlyList<string> treatments, int heads, bool keepsHeads,
        int length, int encodedLength, float[] basePairs, float[] encoded)
    {
        ArgumentNullException.ThrowIfNull(genes);
        ArgumentNullException.ThrowIfNull(treatments);
        ArgumentNullException.ThrowIfNull(basePairs);
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(encodedLength);
        Genes = genes;
        Treatments = treatments;
        Heads = heads;
        KeepsHeads = keepsHeads;
        Length = length;
        EncodedLength = encodedLength;
        long cells = (long)genes.Count * treatments.Count * Slots;
        if (basePairs.LongLength != cells * length || encoded.LongLength != cells * encodedLength)
        {
            throw new ArgumentException($"Expected {cells}×{length} base-pair and {cells}×{encodedLength} encoded values, got {basePairs.LongLength} and {encoded.LongLength}.");
        }
        BasePairs = basePairs;
        Encoded = encoded;
    }

    /// <summary>Gene ids, G.</summary>
    public IReadOnlyList<string> Genes { get; }

    /// <summary>Treatment names, nT.</summary>
    public IReadOnlyList<string> Treatments { get; }

    /// <summary>Cross-attention heads H of the model.</summary>
    public int Heads { get; }

    /// <summary>Whether per-head maps are kept (otherwise only the head average).</summary>
    public bool KeepsHeads { get; }

    /// <summary>Maps per gene and treatment: H + 1 with heads, else 1.</summary>
    public int Slots => KeepsHeads ? Heads + 1 : 1;

    /// <summary>Sequence length L in bp.</summary>
    public int Length { get; }

    /// <summary>Encoded positions T'.</summary>
    public int EncodedLength { get; }

    /// <summary>All base-pair maps <c>(G, nT, S, L)</c>.</summary>
    public float[] BasePairs { get; }

    /// <summary>All encoded-position weights <c>(G, nT, S, T')</c>.</summary>
    public float[] Encoded { get; }

    /// <summary>
    /// The base-pair map <c>(L)</c> of <paramref name="gene"/> under <paramref name="treatment"/>, for
    /// <paramref name="head"/> or (null, the default) the head average.
    /// </summary>
    public ReadOnlySpan<float> Map(int gene, int treatment, int? head = null) =>
        BasePairs.AsSpan(checked((int)(Offset(gene, treatment, head) * Length)), Length);

    /// <summary>The encoded-position weights <c>(T')</c>, as <see cref="Map"/>.</summary>
    public ReadOnlySpan<float> EncodedMap(int gene, int treatment, int? head = null) =>
        Encoded.AsSpan(checked((int)(Offset(gene, treatment, head) * EncodedLength)), EncodedLength);

    /// <summary>Index of a gene by id, or −1.</summary>
    public int GeneIndex(string gene) => IndexOf(Genes, gene);

    /// <summary>Index of a treatment by name, or −1.</summary>
    public int TreatmentIndex(string treatment) => IndexOf(Treatments, treatment);

    private long Offset(int gene, int treatment, int? head)
    {
        if ((uint)gene >= (uint)Genes.Count || (uint)treatment >= (uint)Treatments.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(gene), $"Gene {gene} or treatment {treatment} is out of range ({Genes.Count} genes, {Treatments.Count} treatments).");
        }
        int slot;
        if (head is int h)
        {
            if (!KeepsHeads || (uint)h >= (uint)Heads)
            {
                throw new ArgumentOutOfRangeException(nameof(head), KeepsHeads ? $"Head {h} is outside 0..{Heads - 1}." : "Per-head maps were not kept.");
            }
            slot = h;
        }
        else
        {
            slot = Slots - 1;
        }
        return ((long)gene * Treatments.Count + treatment) * Slots + slot;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
