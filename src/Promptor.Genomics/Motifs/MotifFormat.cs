namespace Promptor.Genomics.Motifs;

/// <summary>The motif file formats Promptor reads.</summary>
public enum MotifFormat
{
    /// <summary>MEME minimal motif format (probabilities); read by <see cref="MemeReader"/>.</summary>
    Meme,

    /// <summary>JASPAR <c>.jaspar</c>/<c>.pfm</c> count matrices; read by <see cref="JasparReader"/>.</summary>
    Jaspar,

    /// <summary>TRANSFAC count matrices (as JASPAR distributes them); read by <see cref="TransfacReader"/>.</summary>
    Transfac,
}
