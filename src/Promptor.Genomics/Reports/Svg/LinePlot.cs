namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// An x–y plot of lines and scatter points with axes, nice ticks, light grid lines, a title and a
/// legend, rendered to an <see cref="SvgDocument"/>. Series are drawn in the order added, coloured
/// from <see cref="Palette.OkabeIto"/> unless a colour is given. Each line is one
/// <c>&lt;polyline class="series line"&gt;</c> and each point set one
/// <c>&lt;g class="series points"&gt;</c> of circles, so the output is easy to inspect. Axis ranges
/// cover all series, widened to the enclosing ticks.
/// </summary>
public sealed class LinePlot
{
    private readonly List<Series> series = [];

    /// <summary>Plot title above the frame, or null (default).</summary>
    public string? Title { get; init; }

    /// <summary>Title of the x axis, or null (default).</summary>
    public string? XLabel { get; init; }

    /// <summary>Title of the y axis, or null (default).</summary>
    public string? YLabel { get; init; }

    /// <summary>Width in pixels (default 640).</summary>
    public double Width { get; init; } = 640;

    /// <summary>Height in pixels (default 420).</summary>
    public double Height { get; init; } = 420;

    /// <summary>
    /// Whether to draw the legend (default true). It goes into the corner of the frame that covers the
    /// fewest data points, preferring top right, top left, bottom right, bottom left on ties.
    /// </summary>
    public bool ShowLegend { get; init; } = true;

    /// <summary>Number of series added.</summary>
    public int SeriesCount => series.Count;

    /// <summary>Adds a line through (x[i], y[i]) in the given order.</summary>
    /// <param name="label">Legend text.</param>
    /// <param name="x">X values (finite; at least one).</param>
    /// <param name="y">Y values (finite), as many as <paramref name="x"/>.</param>
    /// <param name="color">CSS colour, or null for the next palette colour (default).</param>
    /// <param name="dashed">Draw dashed (default false).</param>
    /// <param name="strokeWidth">Line width in pixels (default 2).</param>
    public LinePlot AddLine(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, string? color = null,
        bool dashed = false, double strokeWidth = 2)
    {
        series.Add(new Series(label, Validate(x, y), color ?? Palette.Categorical(series.Count), IsLine: true, dashed, strokeWidth));
        return this;
    }

    /// <summary>Adds scatter points (x[i], y[i]).</summary>
    /// <param name="label">Legend text.</param>
    /// <param name="x">X values (finite; at least one).</param>
    /// <param name="y">Y values (finite), as many as <paramref name="x"/>.</param>
    /// <param name="color">CSS colour, or null for the next palette colour (default).</param>
    /// <param name="radius">Circle radius in pixels (default 3).</param>
    public LinePlot AddPoints(string label, IReadOnlyList<double> x, IReadOnlyList<double> y, string? color = null, double radius = 3)
    {
        series.Add(new Series(label, Validate(x, y), color ?? Palette.Categorical(series.Count), IsLine: false, Dashed: false, radius));
        return this;
    }

    /// <summary>Draws the plot.</summary>
    /// <exception cref="InvalidOperationException">No series was added.</exception>
    public SvgDocument Render()
    {
        if (series.Count == 0)
        {
            throw new InvalidOperationException("A line plot needs at least one series.");
        }
        const double Left = 70, Right = 20, Top = 40, Bottom = 58;
        var svg = new SvgDocument(Width, Height, Title);
        svg.Rect(0, 0, Width, Height, SvgStyle.Filled("#ffffff"));
        double x0 = Left, x1 = Width - Right, y0 = Top, y1 = Height - Bottom;
        if (x1 - x0 < 20 || y1 - y0 < 20)
        {
            throw new InvalidOperationException($"A {Width} × {Height} plot leaves no room for the data.");
        }

        var all = series.SelectMany(s => s.Points).ToArray();
        var (xTicks, xStep) = Ticks.Nice(all.Min(p => p.X), all.Max(p => p.X));
        var (yTicks, yStep) = Ticks.Nice(all.Min(p => p.Y), all.Max(p => p.Y));
        var xScale = new LinearScale(xTicks[0], xTicks[^1], x0, x1);
        var yScale = new LinearScale(yTicks[0], yTicks[^1], y1, y0);

        svg.BeginGroup("grid");
        foreach (double t in xTicks)
        {
            svg.Line(xScale.Map(t), y0, xScale.Map(t), y1, SvgStyle.Stroked(Axes.GridColor));
        }
        foreach (double t in yTicks)
        {
            svg.Line(x0, yScale.Map(t), x1, yScale.Map(t), SvgStyle.Stroked(Axes.GridColor));
        }
        svg.EndGroup();

        foreach (var s in series)
        {
            var pixels = s.Points.Select(p => (xScale.Map(p.X), yScale.Map(p.Y)));
            if (s.IsLine)
            {
                svg.Polyline(pixels, new SvgStyle
                {
                    Stroke = s.Color,
                    StrokeWidth = s.Size,
                    Dash = s.Dashed ? "6 4" : null,
                    CssClass = "series line",
                });
            }
            else
            {
                svg.BeginGroup("series points");
                foreach (var (px, py) in pixels)
                {
                    svg.Circle(px, py, s.Size, new SvgStyle { Fill = s.Color, Opacity = 0.8 });
                }
                svg.EndGroup();
            }
        }

        svg.Rect(x0, y0, x1 - x0, y1 - y0, SvgStyle.Stroked(Axes.AxisColor) with { CssClass = "frame" });
        Axes.XAxis(svg, xScale, xTicks, xStep, y1, XLabel);
        Axes.YAxis(svg, yScale, yTicks, yStep, x0, YLabel);
        if (Title is not null)
        {
            svg.Text((x0 + x1) / 2, Top - 14, Title, new SvgTextStyle { FontSize = 15, Bold = true, Anchor = SvgTextAnchor.Middle, CssClass = "title" });
        }
        if (ShowLegend)
        {
            var pixels = series.SelectMany(s => s.Points).Select(p => (xScale.Map(p.X), yScale.Map(p.Y))).ToArray();
            DrawLegend(svg, x0, x1, y0, y1, pixels);
        }
        return svg;
    }

    private void DrawLegend(SvgDocument svg, double frameLeft, double frameRight, double frameTop, double frameBottom,
        (double X, double Y)[] data)
    {
        const double RowHeight = 18, Swatch = 22, Pad = 8, Margin = 8;
        double width = Pad * 3 + Swatch + series.Max(s => s.Label.Length) * 6.5;
        double height = Pad * 2 + RowHeight * series.Count - 4;
        (double Left, double Top)[] corners =
        [
            (frameRight - width - Margin, frameTop + Margin),
            (frameLeft + Margin, frameTop + Margin),
            (frameRight - width - Margin, frameBottom - height - Margin),
            (frameLeft + Margin, frameBottom - height - Margin),
        ];
        var (left, top) = corners.MinBy(c => data.Count(p =>
            p.X >= c.Left && p.X <= c.Left + width && p.Y >= c.Top && p.Y <= c.Top + height));
        svg.BeginGroup("legend");
        svg.Rect(left, top, width, height, new SvgStyle { Fill = "#ffffff", Stroke = "#bbbbbb", Opacity = 0.9 });
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            double y = top + Pad + RowHeight * i + 7;
            double sx = left + Pad;
            if (s.IsLine)
            {
                svg.Line(sx, y, sx + Swatch, y, new SvgStyle { Stroke = s.Color, StrokeWidth = s.Size, Dash = s.Dashed ? "6 4" : null });
            }
            else
            {
                svg.Circle(sx + Swatch / 2, y, s.Size, SvgStyle.Filled(s.Color));
            }
            svg.Text(sx + Swatch + Pad, y, s.Label, new SvgTextStyle { FontSize = 11, MiddleBaseline = true });
        }
        svg.EndGroup();
    }

    private static (double X, double Y)[] Validate(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0 || x.Count != y.Count)
        {
            throw new ArgumentException($"A series needs as many x as y values, at least one; got {x.Count} and {y.Count}.");
        }
        var points = new (double, double)[x.Count];
        for (int i = 0; i < x.Count; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Point {i} ({x[i]}, {y[i]}) is not finite.");
            }
            points[i] = (x[i], y[i]);
        }
        return points;
    }

    private sealed record Series(string Label, (double X, double Y)[] Points, string Color, bool IsLine, bool Dashed, double Size);
}
