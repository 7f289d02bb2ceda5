namespace Promptor.Nn.Optim.Schedules;

/// <summary>
/// A learning-rate schedule as a multiplier of each group's <see cref="OptimizerGroup.BaseLearningRate"/>.
/// Steps count from 0: before the optimizer's step number <c>s</c> (0 for the first update), call
/// <c>schedule.Apply(optimizer, s)</c> (<see cref="LearningRateScheduleExtensions.Apply"/>), which sets
/// every group's learning rate to <c>base × Multiplier(s)</c>. Schedules are pure functions of the
/// step except <see cref="ReduceOnPlateau"/>, which also reacts to the metrics it is fed.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>The factor (≥ 0) applied to each group's base learning rate at <paramref name="step"/> (≥ 0).</summary>
    double Multiplier(long step);
}
