using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>A seqlet as placed in its cluster.</summary>
/// <param name="Seqlet">The seqlet.</param>
/// <param name="Shift">Shift (bp) relative to the cluster's seed: the seqlet's first base (on <paramref name="Strand"/>) sits at seed position <c>Shift</c>.</param>
/// <param name="Strand"><see cref="Strand.Plus"/> as read, <see cref="Strand.Minus"/> when reverse-complemented to join.</param>
/// <param name="Similarity">Correlation with the cluster's PWM when it joined (1 for the seed).</param>
public sealed record AlignedSeqlet(Seqlet Seqlet, int Shift, Strand Strand, double Similarity);
