namespace Promptor.Genomics.Models.Classification;

/// <summary>Options of <see cref="SequenceClassifier"/>: a small CNN that assigns DNA sequences to classes.</summary>
public sealed record SequenceClassifierOptions
{
    /// <summary>Number of classes (≥ 2). Required.</summary>
    public required int ClassCount { get; init; }

    /// <summary>Filters of each convolution. Default 64.</summary>
    public int Filters { get; init; } = 64;

    /// <summary>Width of the first convolution (motif detectors). Default 11.</summary>
    public int FirstWidth { get; init; } = 11;

    /// <summary>Width of the second convolution. Default 7.</summary>
    public int SecondWidth { get; init; } = 7;

    /// <summary>Max-pool size between the two convolutions. Default 2.</summary>
    public int Pool { get; init; } = 2;

    /// <summary>Dropout before the output layer. Default 0.2.</summary>
    public float Dropout { get; init; } = 0.2f;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (ClassCount < 2)
        {
            throw new ArgumentException($"ClassCount must be ≥ 2, got {ClassCount}.");
        }
        if (Filters < 1 || FirstWidth < 1 || SecondWidth < 1 || Pool < 1)
        {
            throw new ArgumentException($"Filters, widths and pool must be positive, got {Filters}, {FirstWidth}, {SecondWidth}, {Pool}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentException($"Dropout must lie in [0, 1), got {Dropout}.");
        }
    }
}
