using System.Globalization;
using Promptor.Genomics.Reports.Svg;

namespace Promptor.Genomics.Reports;

/// <summary>
/// One gene's attention as a heat map: one row per treatment (labelled), positions along x in bp,
/// averaged in bins of <see cref="BinSize"/> bp so a 1 kb map stays a few thousand cells; colours from
/// <see cref="ColorMap.Viridis"/> over [0, the largest bin mean], with a colour bar.
/// </summary>
public sealed class ReportAttentionMap
{
    private readonly ReportExampleGene gene;

    /// <summary>Creates the map of <paramref name="gene"/> (at least one treatment and one position, finite values).</summary>
    public ReportAttentionMap(ReportExampleGene gene)
    {
        ArgumentNullException.ThrowIfNull(gene);
        if (gene.Attention.Count == 0 || gene.Length == 0 || gene.Attention.Any(r => r.Length != gene.Length))
        {
            throw new ArgumentException($"Gene '{gene.Gene}' needs one attention row per treatment, all of the same length ≥ 1.", nameof(gene));
        }
        this.gene = gene;
    }

    /// <summary>Bin width in bp; null (default) picks the smallest width giving at most 125 bins.</summary>
    public int? BinSize { get; init; }

    /// <summary>Width in pixels (default 860).</summary>
    public double Width { get; init; } = 860;

    /// <summary>Height of one treatment row in pixels (default 14).</summary>
    public double RowHeight { get; init; } = 14;

    /// <summary>The bin width used.</summary>
    public int EffectiveBinSize => BinSize ?? Math.Max(1, (int)Math.Ceiling(gene.Length / 125.0));

    /// <summary>The bin means, <c>(treatments, bins)</c>; the last bin may be narrower.</summary>
    public double[,] Binned()
    {
        int bin = EffectiveBinSize;
        int bins = (gene.Length + bin - 1) / bin;
        var result = new double[gene.Attention.Count, bins];
        for (int t = 0; t < gene.Attention.Count; t++)
        {
            for (int b = 0; b < bins; b++)
            {
                int start = b * bin, end = Math.Min(gene.Length, start + bin);
                double sum = 0;
                for (int i = start; i < end; i++)
                {
                    sum += gene.Attention[t][i];
                }
                result[t, b] = sum / (end - start);
            }
        }
        return result;
    }

    /// <summary>Draws the map.</summary>
    public SvgDocument Render()
    {
        const double Top = 30, Bottom = 50, Right = 110, BarGap = 16, BarWidth = 14;
        var values = Binned();
        int rows = values.GetLength(0), bins = values.GetLength(1);
        double left = 16 + gene.Treatments.Max(t => t.Length) * 6.2;
        double height = Top + Math.Max(rows * RowHeight, 60) + Bottom;
        double x0 = left, x1 = Width - Right, y0 = Top, y1 = Top + rows * RowHeight;
        if (x1 - x0 < 50)
        {
            throw new InvalidOperationException($"A {Width} px wide attention map leaves no room for the cells.");
        }
        double max = 0;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }
        if (max <= 0)
        {
            max = 1;
        }
        var svg = new SvgDocument(Width, height, $"Attention of {gene.Gene} by treatment");
        svg.Rect(0, 0, Width, height, SvgStyle.Filled("#ffffff"));
        double cellWidth = (x1 - x0) / bins;
        svg.BeginGroup("cells", null, ("shape-rendering", "crispEdges"));
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < bins; c++)
            {
                svg.Rect(x0 + c * cellWidth, y0 + r * RowHeight, cellWidth + 0.5, RowHeight + 0.5,
                    SvgStyle.Filled(ColorMap.Viridis.Hex(Math.Max(0, values[r, c]) / max)));
            }
        }
        svg.EndGroup();
        svg.Rect(x0, y0, x1 - x0, y1 - y0, SvgStyle.Stroked(Axes.AxisColor) with { CssClass = "frame" });
        svg.BeginGroup("row-labels");
        for (int r = 0; r < rows; r++)
        {
            svg.Text(x0 - 6, y0 + (r + 0.5) * RowHeight, gene.Treatments[r],
                new SvgTextStyle { FontSize = 11, Anchor = SvgTextAnchor.End, MiddleBaseline = true, CssClass = "row-label" });
        }
        svg.EndGroup();
        var (ticks, step) = Ticks.Nice(0, gene.Length, 8);
        var inRange = ticks.Where(t => t <= gene.Length + 1e-9).ToArray();
        Axes.XAxis(svg, new LinearScale(0, gene.Length, x0, x1), inRange, step, y1,
            string.Create(CultureInfo.InvariantCulture, $"position (bp from the window's 5′ end; {EffectiveBinSize} bp bins)"));
        svg.Text((x0 + x1) / 2, Top - 12, gene.Gene, new SvgTextStyle { FontSize = 14, Bold = true, Anchor = SvgTextAnchor.Middle, CssClass = "title" });

        // The colour bar is a stack of thin rectangles rather than a gradient: it needs no ids, so any
        // number of maps can share a page, and every viewer and printer renders it the same.
        const int Steps = 64;
        double bx = x1 + BarGap, barHeight = Math.Max(y1 - y0, 60), stripe = barHeight / Steps;
        svg.BeginGroup("colorbar", null, ("shape-rendering", "crispEdges"));
        for (int i = 0; i < Steps; i++)
        {
            svg.Rect(bx, y0 + i * stripe, BarWidth, stripe + 0.5, SvgStyle.Filled(ColorMap.Viridis.Hex(1 - (i + 0.5) / Steps)));
        }
        svg.EndGroup();
        svg.Rect(bx, y0, BarWidth, barHeight, SvgStyle.Stroked(Axes.AxisColor) with { CssClass = "colorbar-frame" });
        var (barTicks, barStep) = Ticks.Nice(0, max, 4);
        Axes.YAxis(svg, new LinearScale(0, max, y0 + barHeight, y0), barTicks.Where(t => t <= max + 1e-12).ToArray(), barStep, bx + BarWidth, null, right: true,
            format: v => v.ToString("0.####", CultureInfo.InvariantCulture));
        return svg;
    }
}
