namespace Promptor.Genomics.Motifs;

/// <summary>A high-importance stretch of one sequence (a hotspot's core window plus fixed flanks).</summary>
/// <param name="SequenceIndex">Index of the sequence in the input list.</param>
/// <param name="Start">0-based start of the seqlet (flank included).</param>
/// <param name="Length">Length of the seqlet: the core window plus both flanks.</param>
/// <param name="Score">Sum of the importance over the core window.</param>
/// <param name="Bases">The seqlet's letters on the given strand, <c>sequence[Start..Start+Length]</c>.</param>
public sealed record Seqlet(int SequenceIndex, int Start, int Length, double Score, string Bases)
{
    /// <summary>End (exclusive) in the sequence.</summary>
    public int End => Start + Length;
}
