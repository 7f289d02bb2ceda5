namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// A heat map of named rows over sequence positions with the sequence drawn beneath, e.g. treatments ×
/// base pairs of attention. Rows are labelled with their names on the left; columns are positions, with
/// a base-pair axis under the sequence track. Long sequences are drawn in bins of
/// <see cref="BinSize"/> bp (the mean of each bin) so the file stays small; the sequence track then shows
/// each bin's majority base as a coloured cell, and letters appear when a column is wide enough to hold
/// one. Cells sit in <c>&lt;g class="cells"&gt;</c>, the sequence in <c>&lt;g class="sequence"&gt;</c>.
/// </summary>
public sealed class SequenceHeatmap
{
    private readonly double[,] values;
    private readonly IReadOnlyList<string> rowLabels;

    /// <summary>Creates the heat map of <paramref name="values"/> (rows × positions, finite; not copied) with one label per row.</summary>
    /// <exception cref="ArgumentException">Empty or non-finite values, a label count that differs from the rows, or a sequence of another length.</exception>
    public SequenceHeatmap(double[,] values, IReadOnlyList<string> rowLabels, string? sequence = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(rowLabels);
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
        {
            throw new ArgumentException("A heat map needs at least one row and one position.", nameof(values));
        }
        if (rowLabels.Count != values.GetLength(0))
        {
            throw new ArgumentException($"{values.GetLength(0)} rows need as many labels, got {rowLabels.Count}.", nameof(rowLabels));
        }
        if (sequence is not null && sequence.Length != values.GetLength(1))
        {
            throw new ArgumentException($"The sequence has {sequence.Length} letters for {values.GetLength(1)} positions.", nameof(sequence));
        }
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Heat map values must be finite, got {v}.", nameof(values));
            }
        }
        this.values = values;
        this.rowLabels = rowLabels;
        Sequence = sequence;
    }

    /// <summary>The sequence drawn beneath, or null.</summary>
    public string? Sequence { get; }

    /// <summary>Title above the map, or null (default).</summary>
    public string? Title { get; init; }

    /// <summary>Title of the position axis. Default "position (bp)".</summary>
    public string XLabel { get; init; } = "position (bp)";

    /// <summary>Title beside the colour bar, or null (default).</summary>
    public string? ColorBarLabel { get; init; }

    /// <summary>Colour map (default <see cref="ColorMap.Viridis"/>).</summary>
    public ColorMap ColorMap { get; init; } = ColorMap.Viridis;

    /// <summary>Value of the first colour; null (default) uses the smallest value.</summary>
    public double? Min { get; init; }

    /// <summary>Value of the last colour; null (default) uses the largest value.</summary>
    public double? Max { get; init; }

    /// <summary>Width in pixels. Default 1000.</summary>
    public double Width { get; init; } = 1000;

    /// <summary>Height of each row in pixels. Default 14.</summary>
    public double RowHeight { get; init; } = 14;

    /// <summary>Positions per drawn column; null (default) picks the smallest bin giving at most 500 columns.</summary>
    public int? BinSize { get; init; }

    /// <summary>Label of position 0 on the axis (e.g. −1000 for a promoter ending at the start codon). Default 0.</summary>
    public int PositionOffset { get; init; }

    /// <summary>Base colours of the sequence track (A, C, G, T, other), as in sequence logos.</summary>
    public static IReadOnlyDictionary<char, string> BaseColors { get; } = new Dictionary<char, string>
    {
        ['A'] = "#109648",
        ['C'] = "#255c99",
        ['G'] = "#f7b32b",
        ['T'] = "#d62839",
        ['N'] = "#b0b0b0",
    };

    /// <summary>Draws the heat map.</summary>
    public SvgDocument Render()
    {
        int rows = values.GetLength(0), length = values.GetLength(1);
        int bin = BinSize ?? Math.Max(1, (length + 499) / 500);
        if (bin < 1)
        {
            throw new InvalidOperationException($"BinSize must be at least 1, got {bin}.");
        }
        int columns = (length + bin - 1) / bin;
        var binned = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int first = c * bin, last = Math.Min(length, first + bin);
                double sum = 0;
                for (int p = first; p < last; p++)
                {
                    sum += values[r, p];
                }
                binned[r, c] = sum / (last - first);
            }
        }
        double min = Min ?? binned.Cast<double>().Min(), max = Max ?? binned.Cast<double>().Max();
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new InvalidOperationException($"Colour range [{min}, {max}] is not valid.");
        }

        double labelWidth = Math.Clamp(rowLabels.Max(l => l.Length) * 6.5 + 12, 40, 220);
        const double Top = 36, BarGap = 16, BarWidth = 14, BarAxis = 70, SequenceGap = 4, SequenceHeight = 12, Bottom = 52;
        double x0 = labelWidth, x1 = Width - BarGap - BarWidth - BarAxis;
        if (x1 - x0 < 40)
        {
            throw new InvalidOperationException($"A {Width} px wide heat map leaves no room for the cells.");
        }
        double y0 = Top, y1 = Top + rows * RowHeight;
        double sequenceTop = y1 + SequenceGap, axisY = Sequence is null ? y1 : sequenceTop + SequenceHeight;
        double height = axisY + Bottom;
        double cellWidth = (x1 - x0) / columns;

        var svg = new SvgDocument(Width, height, Title);
        svg.Rect(0, 0, Width, height, SvgStyle.Filled("#ffffff"));
        svg.BeginGroup("cells", null, ("shape-rendering", "crispEdges"));
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double t = max > min ? (binned[r, c] - min) / (max - min) : 0.5;
                svg.Rect(x0 + c * cellWidth, y0 + r * RowHeight, cellWidth + 0.5, RowHeight + 0.5, SvgStyle.Filled(ColorMap.Hex(t)));
            }
        }
        svg.EndGroup();
        svg.Rect(x0, y0, x1 - x0, y1 - y0, SvgStyle.Stroked(Axes.AxisColor) with { CssClass = "frame" });

        svg.BeginGroup("row-labels");
        for (int r = 0; r < rows; r++)
        {
            svg.Text(x0 - 6, y0 + (r + 0.5) * RowHeight, rowLabels[r],
                new SvgTextStyle { FontSize = Math.Min(11, RowHeight - 1), Anchor = SvgTextAnchor.End, MiddleBaseline = true, CssClass = "row-label" });
        }
        svg.EndGroup();

        if (Sequence is not null)
        {
            DrawSequence(svg, x0, sequenceTop, cellWidth, SequenceHeight, bin, columns);
        }
        var scale = new LinearScale(PositionOffset, PositionOffset + length, x0, x1);
        var (ticks, step) = Ticks.Nice(PositionOffset, PositionOffset + length, 8);
        Axes.XAxis(svg, scale, ticks.Where(t => t >= PositionOffset && t <= PositionOffset + length).ToArray(), step, axisY, XLabel);
        if (Title is not null)
        {
            svg.Text((x0 + x1) / 2, Top - 14, Title, new SvgTextStyle { FontSize = 14, Bold = true, Anchor = SvgTextAnchor.Middle, CssClass = "title" });
        }
        DrawColorBar(svg, x1 + BarGap, y0, BarWidth, Math.Max(y1 - y0, 40), min, max);
        return svg;
    }

    private void DrawSequence(SvgDocument svg, double x0, double top, double cellWidth, double height, int bin, int columns)
    {
        string sequence = Sequence!;
        svg.BeginGroup("sequence", null, ("shape-rendering", "crispEdges"));
        bool letters = bin == 1 && cellWidth >= 7;
        for (int c = 0; c < columns; c++)
        {
            int first = c * bin, last = Math.Min(sequence.Length, first + bin);
            char majority = sequence.Substring(first, last - first).ToUpperInvariant()
                .GroupBy(ch => ch).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            string color = BaseColors.TryGetValue(majority, out var known) ? known : BaseColors['N'];
            if (letters)
            {
                svg.Text(x0 + (c + 0.5) * cellWidth, top + height / 2, majority.ToString(),
                    new SvgTextStyle { FontSize = Math.Min(height, cellWidth * 1.4), Anchor = SvgTextAnchor.Middle, MiddleBaseline = true, Fill = color, Bold = true, CssClass = "base" });
            }
            else
            {
                svg.Rect(x0 + c * cellWidth, top, cellWidth + 0.5, height, SvgStyle.Filled(color) with { CssClass = "base" });
            }
        }
        svg.EndGroup();
    }

    private void DrawColorBar(SvgDocument svg, double x, double y, double width, double height, double min, double max)
    {
        const int Stops = 17;
        var stops = new List<(double, string)>(Stops);
        for (int i = 0; i < Stops; i++)
        {
            double offset = i / (double)(Stops - 1);
            stops.Add((offset, ColorMap.Hex(1 - offset)));
        }
        svg.LinearGradient("sequence-heatmap-gradient", stops, vertical: true);
        svg.BeginGroup("colorbar");
        svg.Rect(x, y, width, height, new SvgStyle { Fill = "url(#sequence-heatmap-gradient)", Stroke = Axes.AxisColor });
        svg.EndGroup();
        double lo = min, hi = max > min ? max : min + 1;
        var (ticks, step) = Ticks.Nice(lo, hi, 4);
        Axes.YAxis(svg, new LinearScale(lo, hi, y + height, y), ticks.Where(t => t >= lo - 1e-12 && t <= hi + 1e-12).ToArray(), step, x + width, ColorBarLabel, right: true);
    }
}
