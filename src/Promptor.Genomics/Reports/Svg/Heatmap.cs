namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// A matrix drawn as coloured cells with a colour bar, like matplotlib's <c>imshow</c>: row 0 at the
/// top, column 0 at the left, one <c>&lt;rect&gt;</c> per cell inside <c>&lt;g class="cells"&gt;</c>.
/// Axes are labelled with row and column indices (ticks at cell edges, so a tick at k sits at the
/// left or top edge of cell k). Colours come from <see cref="ColorMap"/> over
/// [<see cref="Min"/>, <see cref="Max"/>], by default the data's range.
/// </summary>
public sealed class Heatmap
{
    private readonly double[,] values;

    /// <summary>Creates a heat map of <paramref name="values"/> (rows × columns, both ≥ 1, all finite; not copied).</summary>
    public Heatmap(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
        {
            throw new ArgumentException("A heat map needs at least one row and one column.", nameof(values));
        }
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Heat map values must be finite, got {v}.", nameof(values));
            }
        }
        this.values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows => values.GetLength(0);

    /// <summary>Number of columns.</summary>
    public int Columns => values.GetLength(1);

    /// <summary>Title above the matrix, or null (default).</summary>
    public string? Title { get; init; }

    /// <summary>Title of the x (column) axis, or null (default).</summary>
    public string? XLabel { get; init; }

    /// <summary>Title of the y (row) axis, or null (default).</summary>
    public string? YLabel { get; init; }

    /// <summary>Title beside the colour bar, or null (default).</summary>
    public string? ColorBarLabel { get; init; }

    /// <summary>Colour map (default <see cref="ColorMap.Viridis"/>).</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Viridis;

    /// <summary>Value shown with the map's first colour; null (default) uses the smallest value.</summary>
    public double? Min { get; init; }

    /// <summary>Value shown with the map's last colour; null (default) uses the largest value.</summary>
    public double? Max { get; init; }

    /// <summary>Width in pixels (default 600).</summary>
    public double Width { get; init; } = 600;

    /// <summary>Height in pixels (default 500).</summary>
    public double Height { get; init; } = 500;

    /// <summary>Draws the heat map.</summary>
    public SvgDocument Render()
    {
        const double Left = 70, Top = 40, Bottom = 58, BarGap = 18, BarWidth = 16, BarAxis = 80;
        double min = Min ?? values.Cast<double>().Min();
        double max = Max ?? values.Cast<double>().Max();
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new InvalidOperationException($"Heat map colour range [{min}, {max}] is not valid.");
        }
        var svg = new SvgDocument(Width, Height, Title);
        svg.Rect(0, 0, Width, Height, SvgStyle.Filled("#ffffff"));
        double x0 = Left, x1 = Width - BarGap - BarWidth - BarAxis, y0 = Top, y1 = Height - Bottom;
        if (x1 - x0 < 20 || y1 - y0 < 20)
        {
            throw new InvalidOperationException($"A {Width} × {Height} heat map leaves no room for the cells.");
        }
        double cellWidth = (x1 - x0) / Columns, cellHeight = (y1 - y0) / Rows;

        // Cells overlap by half a pixel so anti-aliasing leaves no hairlines between them.
        svg.BeginGroup("cells", null, ("shape-rendering", "crispEdges"));
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                double t = max > min ? (values[r, c] - min) / (max - min) : 0.5;
                svg.Rect(x0 + c * cellWidth, y0 + r * cellHeight, cellWidth + 0.5, cellHeight + 0.5, SvgStyle.Filled(ColorMap.Hex(t)));
            }
        }
        svg.EndGroup();
        svg.Rect(x0, y0, x1 - x0, y1 - y0, SvgStyle.Stroked(Axes.AxisColor) with { CssClass = "frame" });

        var (xTicks, xStep) = IndexTicks(Columns);
        var (yTicks, yStep) = IndexTicks(Rows);
        Axes.XAxis(svg, new LinearScale(0, Columns, x0, x1), xTicks, xStep, y1, XLabel);
        Axes.YAxis(svg, new LinearScale(0, Rows, y0, y1), yTicks, yStep, x0, YLabel);
        if (Title is not null)
        {
            svg.Text((x0 + x1) / 2, Top - 14, Title, new SvgTextStyle { FontSize = 15, Bold = true, Anchor = SvgTextAnchor.Middle, CssClass = "title" });
        }
        DrawColorBar(svg, x1 + BarGap, y0, BarWidth, y1 - y0, min, max);
        return svg;
    }

    private void DrawColorBar(SvgDocument svg, double x, double y, double width, double height, double min, double max)
    {
        const int Stops = 17;
        var stops = new List<(double, string)>(Stops);
        for (int i = 0; i < Stops; i++)
        {
            double offset = i / (double)(Stops - 1);
            stops.Add((offset, ColorMap.Hex(1 - offset))); // top = max
        }
        svg.LinearGradient("colorbar-gradient", stops, vertical: true);
        svg.BeginGroup("colorbar");
        svg.Rect(x, y, width, height, new SvgStyle { Fill = "url(#colorbar-gradient)", Stroke = Axes.AxisColor });
        svg.EndGroup();
        double lo = min, hi = max > min ? max : min + 1;
        var (ticks, step) = Ticks.Nice(lo, hi, 5);
        var inRange = ticks.Where(t => t >= lo - 1e-12 && t <= hi + 1e-12).ToArray();
        Axes.YAxis(svg, new LinearScale(lo, hi, y + height, y), inRange, step, x + width, ColorBarLabel, right: true);
    }

    /// <summary>Integer ticks at cell edges from 0 to <paramref name="count"/>.</summary>
    private static (double[] Values, double Step) IndexTicks(int count)
    {
        var (ticks, step) = Ticks.Nice(0, count, 6);
        step = Math.Max(1, Math.Round(step));
        var values = new List<double>();
        for (double t = 0; t <= count + 1e-9; t += step)
        {
            values.Add(t);
        }
        return (values.ToArray(), step);
    }
}
