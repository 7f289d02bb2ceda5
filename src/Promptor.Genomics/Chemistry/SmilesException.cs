namespace Promptor.Genomics.Chemistry;

/// <summary>A SMILES string that cannot be parsed, with the character offset where the problem was found.</summary>
public sealed class SmilesException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, including the position.</param>
    /// <param name="position">Character offset (from 0), or -1 when the problem has no single position.</param>
    public SmilesException(string message, int position) : base(message)
    {
        Position = position;
    }

    /// <summary>Character offset (from 0) of the problem, or -1.</summary>
    public int Position { get; }
}
