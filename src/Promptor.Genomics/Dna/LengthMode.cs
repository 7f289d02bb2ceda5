namespace Promptor.Genomics.Dna;

/// <summary>What <see cref="FixedLength"/> may do to a sequence whose length differs from the target.</summary>
public enum LengthMode
{
    /// <summary>Lengths must match exactly; any other length is an error.</summary>
    Exact,

    /// <summary>Shorter sequences are padded with <c>N</c>; longer ones are an error.</summary>
    Pad,

    /// <summary>Longer sequences are trimmed; shorter ones are an error.</summary>
    Trim,

    /// <summary>Shorter sequences are padded with <c>N</c> and longer ones trimmed.</summary>
    PadOrTrim,
}
