namespace Promptor.Nn.Optim.Schedules;

/// <summary>Applying a schedule to an optimizer.</summary>
public static class LearningRateScheduleExtensions
{
    /// <summary>
    /// Sets every group's learning rate to <c>BaseLearningRate × schedule.Multiplier(step)</c> and
    /// returns the multiplier. Call it before <see cref="Optimizer.Step"/> number <paramref name="step"/> (from 0).
    /// </summary>
    public static double Apply(this ILearningRateSchedule schedule, Optimizer optimizer, long step)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        double multiplier = schedule.Multiplier(step);
        foreach (var group in optimizer.Groups)
        {
            group.LearningRate = group.BaseLearningRate * multiplier;
        }
        return multiplier;
    }
}
