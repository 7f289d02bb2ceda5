namespace Promptor.Genomics.Models.Seq2Seq;

/// <summary>Decoded-output accuracy of a DNA → protein model.</summary>
/// <param name="Residues">True residues scored.</param>
/// <param name="CorrectResidues">Positions where the decoded protein has the true residue.</param>
/// <param name="Windows">Examples scored.</param>
/// <param name="ExactWindows">Examples decoded exactly (same residues, same length).</param>
public sealed record TranslationScore(long Residues, long CorrectResidues, int Windows, int ExactWindows)
{
    /// <summary>CorrectResidues / Residues.</summary>
    public double ResidueAccuracy => Residues == 0 ? 0 : (double)CorrectResidues / Residues;

    /// <summary>ExactWindows / Windows.</summary>
    public double WindowAccuracy => Windows == 0 ? 0 : (double)ExactWindows / Windows;
}
