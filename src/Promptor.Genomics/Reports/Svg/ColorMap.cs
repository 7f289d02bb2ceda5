using System.Globalization;

namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// A continuous colour map: <see cref="Rgb"/> maps t in [0, 1] to a colour by linear interpolation
/// between anchor colours in RGB. <see cref="Viridis"/> (matplotlib's default, by van der Walt and
/// Smith) is perceptually uniform, ordered in lightness and readable with colour-vision deficiencies
/// and in greyscale, so equal steps in value look like equal steps in colour.
/// </summary>
public sealed class ColorMap
{
    private readonly (double Position, double R, double G, double B)[] anchors;

    /// <summary>Creates a map from anchors at ascending positions, the first at 0 and the last at 1; channels in [0, 1].</summary>
    /// <exception cref="ArgumentException">Fewer than two anchors, positions not ascending from 0 to 1, or channels outside [0, 1].</exception>
    public ColorMap(string name, IReadOnlyList<(double Position, double R, double G, double B)> anchors)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(anchors);
        if (anchors.Count < 2 || anchors[0].Position != 0 || anchors[^1].Position != 1)
        {
            throw new ArgumentException("A colour map needs at least two anchors, the first at 0 and the last at 1.", nameof(anchors));
        }
        for (int i = 0; i < anchors.Count; i++)
        {
            var (p, r, g, b) = anchors[i];
            bool ok = (i == 0 || p > anchors[i - 1].Position) && InUnit(r) && InUnit(g) && InUnit(b);
            if (!ok)
            {
                throw new ArgumentException($"Anchor {i} of colour map '{name}' is out of order or outside [0, 1].", nameof(anchors));
            }
        }
        Name = name;
        this.anchors = [.. anchors];
    }

    /// <summary>The map's name.</summary>
    public string Name { get; }

    /// <summary>
    /// matplotlib's viridis (dark purple → blue → green → yellow), sampled at every 16th of its
    /// 256 entries plus the last, which interpolates to within about 1/255 of the full table.
    /// </summary>
    public static ColorMap Viridis { get; } = new("viridis",
    [
        (0 / 255.0, 0.267004, 0.004874, 0.329415),
        (16 / 255.0, 0.282327, 0.094955, 0.417331),
        (32 / 255.0, 0.278826, 0.175490, 0.483397),
        (48 / 255.0, 0.258965, 0.251537, 0.524736),
        (64 / 255.0, 0.229739, 0.322361, 0.545706),
        (80 / 255.0, 0.199430, 0.387607, 0.554642),
        (96 / 255.0, 0.172719, 0.448791, 0.557885),
        (112 / 255.0, 0.149039, 0.508051, 0.557250),
        (128 / 255.0, 0.127568, 0.566949, 0.550556),
        (144 / 255.0, 0.120638, 0.625828, 0.533488),
        (160 / 255.0, 0.157851, 0.683765, 0.501686),
        (176 / 255.0, 0.246070, 0.738910, 0.452024),
        (192 / 255.0, 0.369214, 0.788888, 0.382914),
        (208 / 255.0, 0.515992, 0.831158, 0.294279),
        (224 / 255.0, 0.678489, 0.863742, 0.189503),
        (240 / 255.0, 0.845561, 0.887322, 0.099702),
        (255 / 255.0, 0.993248, 0.906157, 0.143936),
    ]);

    /// <summary>The colour at <paramref name="t"/>, clamped to [0, 1]; NaN maps to 0.</summary>
    public (byte R, byte G, byte B) Rgb(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        int hi = 1;
        while (hi < anchors.Length - 1 && anchors[hi].Position < t)
        {
            hi++;
        }
        var a = anchors[hi - 1];
        var b = anchors[hi];
        double f = (t - a.Position) / (b.Position - a.Position);
        return (Channel(a.R, b.R, f), Channel(a.G, b.G, f), Channel(a.B, b.B, f));
    }

    /// <summary>The colour at <paramref name="t"/> as <c>#rrggbb</c>.</summary>
    public string Hex(double t)
    {
        var (r, g, b) = Rgb(t);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    private static byte Channel(double a, double b, double f) => (byte)Math.Round(255 * (a + (b - a) * f));

    private static bool InUnit(double v) => v >= 0 && v <= 1;
}
