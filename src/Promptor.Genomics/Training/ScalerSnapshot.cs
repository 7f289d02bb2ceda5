namespace Promptor.Genomics.Training;

/// <summary>The serialisable form of a <see cref="TargetScaler"/> (in <c>run.json</c> and checkpoint metadata).</summary>
/// <param name="Treatments">The T treatment names.</param>
/// <param name="Means">T means.</param>
/// <param name="Stds">T standard deviations.</param>
public sealed record ScalerSnapshot(IReadOnlyList<string> Treatments, IReadOnlyList<double> Means, IReadOnlyList<double> Stds)
{
    /// <summary>The snapshot of <paramref name="scaler"/>.</summary>
    public static ScalerSnapshot Of(TargetScaler scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        return new ScalerSnapshot(scaler.Treatments.ToArray(), scaler.Means.ToArray(), scaler.Stds.ToArray());
    }

    /// <summary>Rebuilds the scaler (checks the statistics).</summary>
    public TargetScaler ToScaler() => new(Treatments, Means, Stds);
}
