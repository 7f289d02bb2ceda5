using Promptor.Genomics.Dna;
using Promptor.Genomics.Motifs;

namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// An information-content sequence logo (Schneider and Stephens 1990) of a position probability matrix
/// <c>(W, 4)</c>: at each position a stack of the letters A, C, G, T whose total height is the column's
/// information content in bits — the relative entropy <c>Σ_b p_b log2(p_b / q_b)</c> against the
/// background q, which for a uniform background is <c>2 − H</c> — and in which each letter's height is
/// its share <c>p_b</c> of that total; the most probable letter sits on top. Letters are filled outlines
/// (<see cref="SequenceLogoGlyphs"/>) stretched to their box, in the usual colours (A green, C blue,
/// G orange, T red). Each letter is one <c>&lt;g class="glyph glyph-X"&gt;</c> inside
/// <c>&lt;g class="logo-stack"&gt;</c> groups, one per position.
/// </summary>
public sealed class SequenceLogo
{
    private readonly double[,] heights;

    /// <summary>Creates the logo of <paramref name="motif"/>.</summary>
    /// <param name="motif">The motif.</param>
    /// <param name="background">Background frequencies of A, C, G, T (positive; normalised); null (default) for uniform.</param>
    /// <exception cref="ArgumentException">The background does not hold four positive finite values.</exception>
    public SequenceLogo(Motif motif, IReadOnlyList<float>? background = null)
    {
        ArgumentNullException.ThrowIfNull(motif);
        Motif = motif;
        heights = LetterHeights(motif, background);
    }

    /// <summary>The motif drawn.</summary>
    public Motif Motif { get; }

    /// <summary>Title above the logo, or null (default) for none.</summary>
    public string? Title { get; init; }

    /// <summary>Width of one position in pixels (default 22).</summary>
    public double ColumnWidth { get; init; } = 22;

    /// <summary>Total height in pixels (default 140).</summary>
    public double Height { get; init; } = 140;

    /// <summary>Letter colours: A green, C blue, G orange, T red.</summary>
    public static IReadOnlyDictionary<char, string> LetterColors { get; } = new Dictionary<char, string>
    {
        ['A'] = "#109648",
        ['C'] = "#255c99",
        ['G'] = "#f7a21b",
        ['T'] = "#d62839",
    };

    /// <summary>
    /// Height in bits of every letter, <c>(W, 4)</c> in the order A, C, G, T: <c>p_b · IC</c> with IC the
    /// column's relative entropy to <paramref name="background"/> (uniform when null).
    /// </summary>
    public static double[,] LetterHeights(Motif motif, IReadOnlyList<float>? background = null)
    {
        ArgumentNullException.ThrowIfNull(motif);
        var q = Background(background);
        var result = new double[motif.Width, DnaAlphabet.Size];
        Span<float> column = stackalloc float[DnaAlphabet.Size];
        for (int w = 0; w < motif.Width; w++)
        {
            for (int b = 0; b < DnaAlphabet.Size; b++)
            {
                column[b] = motif[w, b];
            }
            double information = InformationContent(column, q);
            for (int b = 0; b < DnaAlphabet.Size; b++)
            {
                result[w, b] = column[b] * information;
            }
        }
        return result;
    }

    /// <summary>
    /// The relative entropy in bits of one column <paramref name="probabilities"/> (A, C, G, T, summing to 1)
    /// to <paramref name="background"/> (four positive values summing to 1); terms with p = 0 count 0.
    /// For a uniform background this is <c>2 − H(p)</c>: 0 for a uniform column, 2 for a single base.
    /// </summary>
    public static double InformationContent(ReadOnlySpan<float> probabilities, ReadOnlySpan<double> background)
    {
        if (probabilities.Length != DnaAlphabet.Size || background.Length != DnaAlphabet.Size)
        {
            throw new ArgumentException("A logo column and its background hold four values (A, C, G, T).");
        }
        double sum = 0;
        for (int b = 0; b < DnaAlphabet.Size; b++)
        {
            double p = probabilities[b];
            if (p > 0)
            {
                sum += p * Math.Log2(p / background[b]);
            }
        }
        return Math.Max(0, sum);
    }

    /// <summary>Draws the logo: y axis in bits (0 to at least 2), positions 1..W beneath the stacks.</summary>
    public SvgDocument Render()
    {
        const double Left = 46, Right = 8, Bottom = 26, LetterInset = 0.06;
        double top = Title is null ? 10 : 28;
        int width = Motif.Width;
        double totalWidth = Left + width * ColumnWidth + Right;
        double y1 = Height - Bottom;
        if (y1 - top < 20 || ColumnWidth < 4)
        {
            throw new InvalidOperationException($"A logo {Height} px high with {ColumnWidth} px columns leaves no room for the letters.");
        }
        double maxBits = 2;
        for (int w = 0; w < width; w++)
        {
            double total = 0;
            for (int b = 0; b < DnaAlphabet.Size; b++)
            {
                total += heights[w, b];
            }
            maxBits = Math.Max(maxBits, total);
        }
        var (ticks, step) = Ticks.Nice(0, maxBits, 3);
        var scale = new LinearScale(0, ticks[^1], y1, top);
        double pixelsPerBit = (y1 - top) / ticks[^1];

        var svg = new SvgDocument(totalWidth, Height, Title ?? $"Sequence logo of {Motif.Id}");
        svg.Rect(0, 0, totalWidth, Height, SvgStyle.Filled("#ffffff"));
        Span<int> order = stackalloc int[DnaAlphabet.Size];
        for (int w = 0; w < width; w++)
        {
            double x = Left + w * ColumnWidth;
            svg.BeginGroup("logo-stack");
            for (int b = 0; b < DnaAlphabet.Size; b++)
            {
                order[b] = b;
            }
            // Smallest at the bottom, so the stack is drawn upwards in ascending height.
            for (int i = 1; i < order.Length; i++)
            {
                for (int j = i; j > 0 && heights[w, order[j]] < heights[w, order[j - 1]]; j--)
                {
                    (order[j], order[j - 1]) = (order[j - 1], order[j]);
                }
            }
            double baseline = y1;
            foreach (int b in order)
            {
                double h = heights[w, b] * pixelsPerBit;
                if (h < 0.05)
                {
                    continue; // invisible at any zoom; keeps the file small
                }
                char letter = DnaAlphabet.Bases[b];
                DrawLetter(svg, letter, x + ColumnWidth * LetterInset, baseline - h, ColumnWidth * (1 - 2 * LetterInset), h);
                baseline -= h;
            }
            svg.EndGroup();
        }
        svg.Line(Left, y1, Left + width * ColumnWidth, y1, SvgStyle.Stroked(Axes.AxisColor));
        svg.BeginGroup("axis x-axis");
        for (int w = 0; w < width; w++)
        {
            svg.Text(Left + (w + 0.5) * ColumnWidth, y1 + 15, (w + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                new SvgTextStyle { FontSize = 10, Anchor = SvgTextAnchor.Middle, CssClass = "tick-label" });
        }
        svg.EndGroup();
        Axes.YAxis(svg, scale, ticks, step, Left, "bits");
        if (Title is not null)
        {
            svg.Text(Left + width * ColumnWidth / 2, 17, Title, new SvgTextStyle { FontSize = 13, Bold = true, Anchor = SvgTextAnchor.Middle, CssClass = "title" });
        }
        return svg;
    }

    private static void DrawLetter(SvgDocument svg, char letter, double x, double y, double width, double height)
    {
        string color = LetterColors[letter];
        svg.BeginGroup("glyph glyph-" + letter);
        foreach (var polygon in SequenceLogoGlyphs.Outline(letter))
        {
            var points = polygon.Select(p => (x + p.X * width, y + p.Y * height)).Append((x + polygon[0].X * width, y + polygon[0].Y * height));
            svg.Polyline(points, SvgStyle.Filled(color));
        }
        svg.EndGroup();
    }

    private static double[] Background(IReadOnlyList<float>? background)
    {
        if (background is null)
        {
            return [0.25, 0.25, 0.25, 0.25];
        }
        if (background.Count != DnaAlphabet.Size || background.Any(v => !float.IsFinite(v) || v <= 0))
        {
            throw new ArgumentException("The background needs four positive frequencies (A, C, G, T).", nameof(background));
        }
        double sum = background.Sum(v => (double)v);
        return background.Select(v => v / sum).ToArray();
    }
}
