namespace Promptor.Genomics.Models.Gpt;

/// <summary>The training set of one epoch of <see cref="LanguageModelTrainer"/>.</summary>
/// <param name="Sequences">Token sequences (≥ 2 ids each; cropped to the context length + 1); at least one.</param>
/// <param name="Labels">A label per sequence (conditional models), or null.</param>
public sealed record LanguageModelEpochData(IReadOnlyList<int[]> Sequences, IReadOnlyList<int>? Labels = null);
