using Promptor.Genomics.Tokenization;

namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>
/// One teacher-forced batch: sources <c>(B, S)</c>, decoder inputs <c>(B, T)</c> = begin token
/// then the target tokens, and decoder targets <c>(B, T)</c> = the target tokens then the end
/// token, all row-major and padded with the pad id 0 (padded targets are ignored by the loss).
/// </summary>
/// <param name="Source">B·S source ids.</param>
/// <param name="DecoderInput">B·T ids: <c>&lt;bos&gt; y₁ … y_n</c>, then padding.</param>
/// <param name="DecoderTarget">B·T ids: <c>y₁ … y_n &lt;eos&gt;</c>, then padding.</param>
/// <param name="Batch">B.</param>
/// <param name="SourceLength">S, the longest source.</param>
/// <param name="TargetLength">T, the longest target plus one.</param>
public sealed record Seq2SeqBatch(int[] Source, int[] DecoderInput, int[] DecoderTarget, int Batch, int SourceLength, int TargetLength)
{
    /// <summary>Builds the batch of (source ids, target ids) pairs, both without special tokens.</summary>
    /// <exception cref="ArgumentException">No pairs, or an empty source.</exception>
    public static Seq2SeqBatch Create(IReadOnlyList<(int[] Source, int[] Target)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one pair.", nameof(pairs));
        }
        int s = 0, t = 0;
        foreach (var (source, target) in pairs)
        {
            if (source is null || source.Length == 0 || target is null)
            {
                throw new ArgumentException("Every pair needs a non-empty source and a target.", nameof(pairs));
            }
            s = Math.Max(s, source.Length);
            t = Math.Max(t, target.Length + 1);
        }
        int b = pairs.Count;
        var src = new int[b * s];
        var input = new int[b * t];
        var output = new int[b * t];
        for (int i = 0; i < b; i++)
        {
            var (source, target) = pairs[i];
            source.CopyTo(src, i * s);
            input[i * t] = SpecialTokens.BeginId;
            target.CopyTo(input, i * t + 1);
            target.CopyTo(output, i * t);
            output[i * t + target.Length] = SpecialTokens.EndId;
        }
        return new Seq2SeqBatch(src, input, output, b, s, t);
    }
}
