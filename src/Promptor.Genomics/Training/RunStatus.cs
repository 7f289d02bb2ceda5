namespace Promptor.Genomics.Training;

/// <summary>Where a run stands, as recorded in <c>run.json</c>.</summary>
public enum RunStatus
{
    /// <summary>Training has not finished (it may have been interrupted; it can be resumed).</summary>
    Running,

    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>Early stopping ended the run.</summary>
    StoppedEarly,
}
