namespace Promptor.Genomics.Reports.Svg;

/// <summary>
/// Categorical colours for series. <see cref="OkabeIto"/> (Okabe and Ito 2008) stays distinguishable
/// under the common colour-vision deficiencies; the plots use it in this order.
/// </summary>
public static class Palette
{
    /// <summary>Blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow, black.</summary>
    public static IReadOnlyList<string> OkabeIto { get; } =
        ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"];

    /// <summary>Colour <paramref name="index"/> of <see cref="OkabeIto"/>, cycling.</summary>
    public static string Categorical(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return OkabeIto[index % OkabeIto.Count];
    }
}
