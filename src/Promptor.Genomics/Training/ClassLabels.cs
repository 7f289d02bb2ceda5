namespace Promptor.Genomics.Training;

/// <summary>
/// The three classes of the classification task, from a continuous response (e.g. log2 fold change)
/// and two thresholds: <see cref="Down"/> at or below the lower one, <see cref="Up"/> at or above the
/// upper one, <see cref="Unchanged"/> between. Class indices are the model's output order.
/// </summary>
public static class ClassLabels
{
    /// <summary>Class index of a response at or below the lower threshold (0).</summary>
    public const int Down = 0;

    /// <summary>Class index of a response strictly between the thresholds (1).</summary>
    public const int Unchanged = 1;

    /// <summary>Class index of a response at or above the upper threshold (2).</summary>
    public const int Up = 2;

    /// <summary>Number of classes (3).</summary>
    public const int Count = 3;

    /// <summary>The class of <paramref name="value"/> given the thresholds (<paramref name="down"/> &lt; <paramref name="up"/>).</summary>
    public static int Of(float value, float down, float up) => value <= down ? Down : value >= up ? Up : Unchanged;
}
