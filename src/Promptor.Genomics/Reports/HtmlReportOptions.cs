namespace Promptor.Genomics.Reports;

/// <summary>Options of <see cref="HtmlReport"/>.</summary>
public sealed record HtmlReportOptions
{
    /// <summary>Page title; null (default) uses "Promptor report: " and the run folder's name.</summary>
    public string? Title { get; init; }

    /// <summary>Time stamp printed in the footer; null (default) uses the current time (UTC).</summary>
    public DateTimeOffset? GeneratedUtc { get; init; }

    /// <summary>Most example genes drawn (default 12); the others are listed by name.</summary>
    public int MaxExampleGenes { get; init; } = 12;

    /// <summary>Fraction of positions marked as high-attention in an example gene's sequence (default 0.03).</summary>
    public double MarkedFraction { get; init; } = 0.03;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxExampleGenes, 1);
        if (!(MarkedFraction >= 0 && MarkedFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MarkedFraction), MarkedFraction, "The marked fraction lies in [0, 1].");
        }
    }
}
