namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// Maps data values linearly from a domain onto a pixel range; the range may run backwards (a
/// y axis maps larger values to smaller pixel rows).
/// </summary>
/// <param name="DomainStart">Data value mapped to <paramref name="RangeStart"/>.</param>
/// <param name="DomainEnd">Data value mapped to <paramref name="RangeEnd"/> (≠ DomainStart).</param>
/// <param name="RangeStart">Pixel of <paramref name="DomainStart"/>.</param>
/// <param name="RangeEnd">Pixel of <paramref name="DomainEnd"/>.</param>
public readonly record struct LinearScale(double DomainStart, double DomainEnd, double RangeStart, double RangeEnd)
{
    /// <summary>The pixel of data value <paramref name="value"/>.</summary>
    public double Map(double value)
    {
        double span = DomainEnd - DomainStart;
        return span == 0
            ? (RangeStart + RangeEnd) / 2
            : RangeStart + (value - DomainStart) / span * (RangeEnd - RangeStart);
    }
}
