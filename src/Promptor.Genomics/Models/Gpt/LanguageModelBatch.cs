namespace Promptor.Genomics.Models.Gpt;

/// <summary>
/// One next-token training batch: inputs <c>(B, T)</c> and targets <c>(B, T)</c> shifted by one,
/// row-major, padded to the longest sequence of the batch with the pad id (padded targets are
/// ignored by the loss), and the sequences' labels for conditional models.
/// </summary>
/// <param name="Inputs">B·T input ids: tokens <c>0 .. n − 2</c> of each sequence, then padding.</param>
/// <param name="Targets">B·T target ids: tokens <c>1 .. n − 1</c>, then the pad id.</param>
/// <param name="Batch">B.</param>
/// <param name="Length">T: the longest sequence's length minus one.</param>
/// <param name="Labels">B labels, or null.</param>
public sealed record LanguageModelBatch(int[] Inputs, int[] Targets, int Batch, int Length, int[]? Labels)
{
    /// <summary>
    /// Builds the batch of <paramref name="sequences"/> (each ≥ 2 tokens), cropping each to its
    /// first <paramref name="contextLength"/> + 1 tokens.
    /// </summary>
    /// <param name="sequences">Token-id sequences (e.g. begin token, tokens, end token).</param>
    /// <param name="padId">Id used for padding, ignored as a target.</param>
    /// <param name="contextLength">The model's context length T_max.</param>
    /// <param name="labels">One label per sequence, or null.</param>
    public static LanguageModelBatch Create(IReadOnlyList<int[]> sequences, int padId, int contextLength, IReadOnlyList<int>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextLength);
        if (sequences.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        }
        if (labels is not null && labels.Count != sequences.Count)
        {
            throw new ArgumentException($"Expected {sequences.Count} labels, got {labels.Count}.", nameof(labels));
        }
        int length = 0;
        foreach (var s in sequences)
        {
            if (s is null || s.Length < 2)
            {
                throw new ArgumentException("Every sequence needs at least two tokens (an input and a target).", nameof(sequences));
            }
            length = Math.Max(length, Math.Min(s.Length, contextLength + 1) - 1);
        }
        int batch = sequences.Count;
        var inputs = new int[batch * length];
        var targets = new int[batch * length];
        Array.Fill(inputs, padId);
        Array.Fill(targets, padId);
        for (int b = 0; b < batch; b++)
        {
            var s = sequences[b];
            int n = Math.Min(s.Length, contextLength + 1) - 1;
            Array.Copy(s, 0, inputs, b * length, n);
            Array.Copy(s, 1, targets, b * length, n);
        }
        return new LanguageModelBatch(inputs, targets, batch, length, labels?.ToArray());
    }
}
