namespace Promptor.Genomics.IO;

/// <summary>The strand of a genomic feature.</summary>
public enum Strand
{
    /// <summary>No strand (<c>.</c> in BED, or a BED3–BED5 line).</summary>
    None,

    /// <summary>The forward strand (<c>+</c>).</summary>
    Plus,

    /// <summary>The reverse strand (<c>-</c>).</summary>
    Minus,
}
