namespace Promptor.Genomics.Data;

/// <summary>The part of the data a gene belongs to.</summary>
public enum DataSplit
{
    /// <summary>Used to fit the model.</summary>
    Train,

    /// <summary>Used for early stopping and model selection.</summary>
    Validation,

    /// <summary>Held out for the final evaluation.</summary>
    Test,
}
