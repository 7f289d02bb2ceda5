namespace Promptor.Nn.Optim.Schedules;

/// <summary>Whether a smaller or a larger metric is better, for <see cref="ReduceOnPlateau"/>.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (losses).</summary>
    Min,

    /// <summary>Higher is better (accuracy, Pearson r).</summary>
    Max,
}
