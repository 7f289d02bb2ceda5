namespace Promptor.Genomics.Dna;

/// <summary>Which part of a sequence is kept when it is fitted to a fixed length.</summary>
public enum SequenceAlignment
{
    /// <summary>Keep the start (5' end): pad or trim at the right end.</summary>
    Left,

    /// <summary>Keep the middle: pad or trim both ends equally (the odd base goes to the right end).</summary>
    Center,

    /// <summary>
    /// Keep the end (3' end): pad or trim at the left end. The natural choice for promoters written
    /// 5'→3' up to the start codon or TSS, whose informative end is the right one.
    /// </summary>
    Right,
}
