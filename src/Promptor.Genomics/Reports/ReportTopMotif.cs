using Promptor.Genomics.Motifs;

namespace Promptor.Genomics.Reports;

/// <summary>One line of <c>motifs/top_motifs.tsv</c>, with its matrix from <c>motifs/motifs.meme</c> when that file exists.</summary>
/// <param name="Treatment">The treatment under which the motif was extracted.</param>
/// <param name="Rank">Its rank within the treatment (1 = top).</param>
/// <param name="MotifId">The motif's id in <c>motifs.meme</c>.</param>
/// <param name="Consensus">Its consensus (IUPAC).</param>
/// <param name="Seqlets">Number of seqlets behind it.</param>
/// <param name="BestMatchId">Id of the best database match, or null when there is none.</param>
/// <param name="BestMatchName">Name of the best database match, or null.</param>
/// <param name="P">P-value of the match (NaN when there is none).</param>
/// <param name="Q">Q-value of the match (NaN when there is none).</param>
/// <param name="Motif">The matrix, or null when <c>motifs.meme</c> is absent.</param>
public sealed record ReportTopMotif(string Treatment, int Rank, string MotifId, string Consensus, int Seqlets,
    string? BestMatchId, string? BestMatchName, double P, double Q, Motif? Motif);
