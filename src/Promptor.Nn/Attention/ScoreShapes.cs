using Promptor.Tensors;

namespace Promptor.Nn.Attention;

/// <summary>Shape checks shared by the scoring functions.</summary>
internal static class ScoreShapes
{
    /// <summary>Checks q <c>(B, Tq, dq)</c> and k <c>(B, Tk, dk)</c>, and dq == dk when <paramref name="sameWidth"/>.</summary>
    public static void Check(string score, Tensor queries, Tensor keys, bool sameWidth, int? queryWidth = null, int? keyWidth = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        bool ok = queries.Rank == 3 && keys.Rank == 3 && queries.Shape[0] == keys.Shape[0]
            && (!sameWidth || queries.Shape[2] == keys.Shape[2])
            && (queryWidth is null || queries.Shape[2] == queryWidth)
            && (keyWidth is null || keys.Shape[2] == keyWidth);
        if (!ok)
        {
            string dq = queryWidth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "dq";
            string dk = keyWidth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (sameWidth ? dq : "dk");
            throw new ArgumentException(
                $"{score} expects queries (B, Tq, {dq}) and keys (B, Tk, {dk}); got {queries.Shape} and {keys.Shape}.");
        }
    }
}
