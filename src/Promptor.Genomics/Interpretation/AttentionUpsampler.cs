namespace Promptor.Genomics.Interpretation;

/// <summary>
/// Spreads attention over encoded positions <c>(T')</c> back onto base pairs <c>(L)</c>: each encoded
/// position's weight is distributed by a Gaussian centred on its receptive-field centre, as attention
/// over CNN feature maps is upsampled onto image pixels with a Gaussian filter (Xu et al. 2015, "Show,
/// Attend and Tell"; Yang et al. 2016, stacked attention networks). Every Gaussian is cut at
/// ±<see cref="AttentionMapOptions.TruncateSigmas"/>·σ and at the sequence ends and then renormalised to
/// sum to 1, so a map keeps its mass: <c>Σ_bp map = Σ_t weights</c> (1 for one attention row).
/// </summary>
public sealed class AttentionUpsampler
{
    private readonly int[] firsts;
    private readonly float[][] kernels;

    /// <summary>Precomputes one kernel per encoded position of <paramref name="field"/>.</summary>
    public AttentionUpsampler(ReceptiveField field, AttentionMapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(field);
        options ??= new AttentionMapOptions();
        options.Validate();
        Field = field;
        Sigma = options.SigmaBp ?? options.SigmaPerReceptiveField * field.Size;
        int l = field.InputLength;
        firsts = new int[field.OutputLength];
        kernels = new float[field.OutputLength][];
        double reach = options.TruncateSigmas * Sigma;
        for (int t = 0; t < field.OutputLength; t++)
        {
            double centre = field.Centre(t);
            int first = Math.Clamp((int)Math.Ceiling(centre - reach), 0, l - 1);
            int last = Math.Clamp((int)Math.Floor(centre + reach), 0, l - 1);
            if (last < first)
            {
                // Only possible when σ is tiny and the centre sits outside the sequence: give the
                // weight to the nearest base.
                first = last = Math.Clamp((int)Math.Round(centre), 0, l - 1);
            }
            var kernel = new double[last - first + 1];
            double total = 0;
            for (int i = 0; i < kernel.Length; i++)
            {
                double z = (first + i - centre) / Sigma;
                kernel[i] = Math.Exp(-0.5 * z * z);
                total += kernel[i];
            }
            if (!(total > 0))
            {
                // The whole window lies far in a tail (centre outside the sequence): nearest base.
                first = Math.Clamp((int)Math.Round(centre), 0, l - 1);
                kernel = [1.0];
                total = 1;
            }
            firsts[t] = first;
            kernels[t] = kernel.Select(k => (float)(k / total)).ToArray();
        }
    }

    /// <summary>The receptive field the kernels follow.</summary>
    public ReceptiveField Field { get; }

    /// <summary>The Gaussian's standard deviation in bp.</summary>
    public double Sigma { get; }

    /// <summary>Encoded positions T'.</summary>
    public int EncodedLength => Field.OutputLength;

    /// <summary>Base pairs L.</summary>
    public int Length => Field.InputLength;

    /// <summary>
    /// Adds the base-pair map of <paramref name="weights"/> <c>(T')</c> into <paramref name="destination"/>
    /// <c>(L)</c> (accumulates: clear it first for a fresh map).
    /// </summary>
    public void Accumulate(ReadOnlySpan<float> weights, Span<float> destination)
    {
        if (weights.Length != EncodedLength || destination.Length != Length)
        {
            throw new ArgumentException($"Expected {EncodedLength} weights and {Length} destination values, got {weights.Length} and {destination.Length}.");
        }
        for (int t = 0; t < weights.Length; t++)
        {
            float w = weights[t];
            if (w == 0)
            {
                continue;
            }
            var kernel = kernels[t];
            var target = destination.Slice(firsts[t], kernel.Length);
            for (int i = 0; i < kernel.Length; i++)
            {
                target[i] += w * kernel[i];
            }
        }
    }

    /// <summary>The base-pair map <c>(L)</c> of <paramref name="weights"/> <c>(T')</c>.</summary>
    public float[] Upsample(ReadOnlySpan<float> weights)
    {
        var map = new float[Length];
        Accumulate(weights, map);
        return map;
    }
}
