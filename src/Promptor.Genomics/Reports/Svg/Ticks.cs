using System.Globalization;

namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// Axis ticks at "nice" values (1, 2, 2.5 or 5 times a power of ten; Heckbert 1990) and their labels.
/// </summary>
public static class Ticks
{
    /// <summary>
    /// About <paramref name="targetCount"/> evenly spaced nice values whose first is ≤ <paramref name="min"/>
    /// and whose last is ≥ <paramref name="max"/>, so the ticks span the data. A zero-width range is
    /// widened around its value.
    /// </summary>
    /// <param name="min">Smallest data value (finite).</param>
    /// <param name="max">Largest data value (finite, ≥ min).</param>
    /// <param name="targetCount">Desired number of ticks (≥ 2; default 6).</param>
    /// <returns>The ticks, ascending, and their spacing.</returns>
    public static (double[] Values, double Step) Nice(double min, double max, int targetCount = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException($"Tick range must be finite with min ≤ max, got [{min}, {max}].");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 2);
        if (max == min)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = NiceStep((max - min) / (targetCount - 1));
        double first = Math.Floor(min / step + 1e-9) * step;
        double last = Math.Ceiling(max / step - 1e-9) * step;
        int count = (int)Math.Round((last - first) / step) + 1;
        var values = new double[count];
        int decimals = Decimals(step);
        for (int i = 0; i < count; i++)
        {
            values[i] = Math.Round(first + i * step, Math.Min(15, decimals + 1));
        }
        return (values, step);
    }

    /// <summary>Formats a tick <paramref name="value"/> with just enough decimals for ticks <paramref name="step"/> apart.</summary>
    public static string Format(double value, double step)
    {
        int decimals = Decimals(step);
        double rounded = Math.Round(value, Math.Min(15, decimals));
        if (rounded == 0)
        {
            rounded = 0; // no "-0"
        }
        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    /// <summary>Decimals needed to tell ticks <paramref name="step"/> apart (2.5·10ᵏ needs one more than 10ᵏ).</summary>
    private static int Decimals(double step)
    {
        if (!(step > 0) || !double.IsFinite(step))
        {
            return 0;
        }
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        if (Math.Abs(mantissa - Math.Round(mantissa)) > 1e-6)
        {
            decimals++;
        }
        return decimals;
    }
}
