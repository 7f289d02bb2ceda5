using Promptor.Nn;
using Promptor.Nn.Layers;
using Promptor.Tensors;

namespace Promptor.Genomics.Models.Classification;

/// <summary>
/// A small CNN classifier of DNA sequences (promoter vs non-promoter, TATA vs non-TATA, …), in the
/// spirit of Umarov &amp; Solovyev 2017: one-hot <c>(B, L, 4)</c> → 'same' convolution, batch norm,
/// ReLU, max-pool → 'same' convolution, batch norm, ReLU → global max and global mean over
/// positions, concatenated <c>(B, 2·filters)</c> → dropout → linear → class logits <c>(B, classes)</c>.
/// Global pooling makes it accept any sequence length.
/// </summary>
public sealed class SequenceClassifier : Module, IModule
{
    private readonly Conv1d first, second;
    private readonly BatchNorm1d firstNorm, secondNorm;
    private readonly Dropout dropout;
    private readonly Linear output;

    /// <summary>Creates the classifier with weights drawn from <paramref name="generator"/>.</summary>
    /// <param name="options">The options (validated).</param>
    /// <param name="generator">Seeded generator for the initial weights and the dropout masks.</param>
    public SequenceClassifier(SequenceClassifierOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        Options = options;
        first = RegisterModule("conv1", new Conv1d(4, options.Filters, options.FirstWidth, generator, padding: Padding.Same));
        firstNorm = RegisterModule("norm1", new BatchNorm1d(options.Filters));
        second = RegisterModule("conv2", new Conv1d(options.Filters, options.Filters, options.SecondWidth, generator, padding: Padding.Same));
        secondNorm = RegisterModule("norm2", new BatchNorm1d(options.Filters));
        dropout = RegisterModule("dropout", new Dropout(options.Dropout, new Generator(generator.NextUInt64())));
        output = RegisterModule("output", new Linear(2 * options.Filters, options.ClassCount, generator));
    }

    /// <summary>The options the classifier was built with.</summary>
    public SequenceClassifierOptions Options { get; }

    /// <summary>Class logits <c>(B, classes)</c> of one-hot sequences <c>(B, L, 4)</c>.</summary>
    /// <exception cref="ArgumentException">The input is not <c>(B, L, 4)</c>.</exception>
    public Tensor Forward(Tensor sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Rank != 3 || sequences.Shape[2] != 4)
        {
            throw new ArgumentException($"SequenceClassifier expects one-hot sequences (B, L, 4), got {sequences.Shape}.", nameof(sequences));
        }
        var x = sequences.Permute(0, 2, 1);                                  // (B, 4, L)
        x = firstNorm.Forward(first.Forward(x)).Relu();
        if (Options.Pool > 1 && x.Shape[2] >= Options.Pool)
        {
            x = x.MaxPool1d(Options.Pool);
        }
        x = secondNorm.Forward(second.Forward(x)).Relu();                   // (B, F, L')
        var pooled = Ops.Concat([x.Max(2), x.Mean(2)], 1);                  // (B, 2F)
        return output.Forward(dropout.Forward(pooled));
    }
}
