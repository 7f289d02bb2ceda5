namespace Promptor.Genomics.Dna;

/// <summary>How IUPAC ambiguity codes other than a plain base are one-hot encoded.</summary>
public enum AmbiguityEncoding
{
    /// <summary>Every ambiguity code (N, R, Y, …) becomes 0.25 in all four channels (Selene's convention; the default).</summary>
    Uniform,

    /// <summary>The mass is split evenly over the bases the code stands for: R → (0.5, 0, 0.5, 0); N → 0.25 each.</summary>
    Proportional,
}
