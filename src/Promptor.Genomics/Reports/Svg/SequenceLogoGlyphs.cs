namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// Outlines of the letters A, C, G and T for sequence logos, as filled polygons in a unit box
/// (x and y in [0, 1], y pointing down). A logo stretches each box to its column width and the
/// letter's height in bits, so the outlines are drawn as geometry rather than as font glyphs, whose
/// ink does not fill their em box. Letters with a counter are built from overlapping pieces without
/// holes (A: a chevron plus a crossbar; G: an open ring plus a bar), which a non-zero fill paints solid.
/// </summary>
internal static class SequenceLogoGlyphs
{
    private const int ArcSteps = 28;

    private static readonly Dictionary<char, (double X, double Y)[][]> s_glyphs = new()
    {
        ['A'] =
        [
            [(0, 1), (0.39, 0), (0.61, 0), (1, 1), (0.77, 1), (0.5, 0.25), (0.23, 1)],
            [(0.27, 0.56), (0.73, 0.56), (0.73, 0.73), (0.27, 0.73)],
        ],
        ['C'] = [Ring(42, 318)],
        ['G'] =
        [
            Ring(42, 360),
            [(0.52, 0.47), (1, 0.47), (1, 0.63), (0.52, 0.63)],
        ],
        ['T'] = [[(0, 0), (1, 0), (1, 0.19), (0.6, 0.19), (0.6, 1), (0.4, 1), (0.4, 0.19), (0, 0.19)]],
    };

    /// <summary>The polygons of <paramref name="letter"/> (one of A, C, G, T) in the unit box.</summary>
    public static IReadOnlyList<(double X, double Y)[]> Outline(char letter) =>
        s_glyphs.TryGetValue(char.ToUpperInvariant(letter), out var polygons)
            ? polygons
            : throw new ArgumentException($"No logo glyph for '{letter}'; the logo draws A, C, G and T.", nameof(letter));

    /// <summary>
    /// An elliptical band centred in the box, open on the right: the outer edge from
    /// <paramref name="fromDegrees"/> to <paramref name="toDegrees"/> (counter-clockwise from 3 o'clock),
    /// then the inner edge back.
    /// </summary>
    private static (double X, double Y)[] Ring(double fromDegrees, double toDegrees)
    {
        const double OuterX = 0.5, OuterY = 0.5, InnerX = 0.29, InnerY = 0.31;
        var points = new List<(double, double)>(2 * (ArcSteps + 1));
        for (int i = 0; i <= ArcSteps; i++)
        {
            double a = Radians(fromDegrees + (toDegrees - fromDegrees) * i / ArcSteps);
            points.Add((0.5 + OuterX * Math.Cos(a), 0.5 - OuterY * Math.Sin(a)));
        }
        for (int i = ArcSteps; i >= 0; i--)
        {
            double a = Radians(fromDegrees + (toDegrees - fromDegrees) * i / ArcSteps);
            points.Add((0.5 + InnerX * Math.Cos(a), 0.5 - InnerY * Math.Sin(a)));
        }
        return [.. points];
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
