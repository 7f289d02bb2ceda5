namespace Promptor.Genomics.Reports.Svg;

/// <summary>Axis drawing shared by the plots: ticks, tick labels and axis titles outside a plot frame.</summary>
internal static class Axes
{
    public const string AxisColor = "#333";
    public const string GridColor = "#e5e5e5";
    private const double TickLength = 5;

    /// <summary>An x axis along pixel row <paramref name="y"/>, ticks pointing down, with labels and an optional title.</summary>
    public static void XAxis(SvgDocument svg, LinearScale scale, double[] ticks, double step, double y, string? title,
        Func<double, string>? format = null)
    {
        svg.BeginGroup("axis x-axis");
        svg.Line(scale.RangeStart, y, scale.RangeEnd, y, SvgStyle.Stroked(AxisColor));
        foreach (double t in ticks)
        {
            double x = scale.Map(t);
            svg.Line(x, y, x, y + TickLength, SvgStyle.Stroked(AxisColor));
            svg.Text(x, y + TickLength + 13, format?.Invoke(t) ?? Ticks.Format(t, step),
                new SvgTextStyle { FontSize = 11, Anchor = SvgTextAnchor.Middle, CssClass = "tick-label" });
        }
        if (title is not null)
        {
            svg.Text((scale.RangeStart + scale.RangeEnd) / 2, y + TickLength + 34, title,
                new SvgTextStyle { FontSize = 13, Anchor = SvgTextAnchor.Middle, CssClass = "axis-title" });
        }
        svg.EndGroup();
    }

    /// <summary>A y axis along pixel column <paramref name="x"/>, ticks pointing left (or right when <paramref name="right"/>).</summary>
    public static void YAxis(SvgDocument svg, LinearScale scale, double[] ticks, double step, double x, string? title,
        bool right = false, Func<double, string>? format = null)
    {
        double sign = right ? 1 : -1;
        svg.BeginGroup("axis y-axis");
        svg.Line(x, scale.RangeStart, x, scale.RangeEnd, SvgStyle.Stroked(AxisColor));
        double widest = 0;
        foreach (double t in ticks)
        {
            double y = scale.Map(t);
            string label = format?.Invoke(t) ?? Ticks.Format(t, step);
            widest = Math.Max(widest, label.Length);
            svg.Line(x, y, x + sign * TickLength, y, SvgStyle.Stroked(AxisColor));
            svg.Text(x + sign * (TickLength + 3), y, label, new SvgTextStyle
            {
                FontSize = 11,
                Anchor = right ? SvgTextAnchor.Start : SvgTextAnchor.End,
                MiddleBaseline = true,
                CssClass = "tick-label",
            });
        }
        if (title is not null)
        {
            // Clear of the widest tick label (about 6.5 px per character at 11 px).
            double offset = TickLength + 3 + widest * 6.5 + 12;
            svg.Text(x + sign * offset, (scale.RangeStart + scale.RangeEnd) / 2, title, new SvgTextStyle
            {
                FontSize = 13,
                Anchor = SvgTextAnchor.Middle,
                Rotation = right ? 90 : -90,
                CssClass = "axis-title",
            });
        }
        svg.EndGroup();
    }
}
