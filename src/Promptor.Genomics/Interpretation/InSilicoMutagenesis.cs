using Promptor.Genomics.Dna;
using Promptor.Genomics.Models;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;
using Promptor.Tensors.Kernels;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// In-silico saturation mutagenesis (ISM): every single-base substitution of one sequence (3·L
/// mutants of an unambiguous sequence; all four bases at an ambiguous position) is predicted, and
/// the change against the reference is reported per treatment (<see cref="IsmResult"/>). Mutants go
/// through the model in batches under <see cref="Tape.NoGrad"/>.
/// <para>
/// <see cref="Run(CondPromoter, Tensor, int, int)"/> is the fast path for the promoter model: a mutation
/// changes only a few positions after the convolution stack (<see cref="IsmWindows"/>), so only the
/// convolution outputs it reaches are recomputed and spliced into the reference's activations
/// before the attention layers, which still see every position. For the default cross-attention
/// model <see cref="IsmEngine"/> runs the whole pass on reused buffers and also reuses the first
/// block's Q/K/V projections of unchanged positions; other models convolve a short window per
/// mutant and run the model's own layers. <see cref="Reference"/> is the naive oracle: one mutant per
/// forward pass.
/// </para>
/// </summary>
public static class InSilicoMutagenesis
{
    /// <summary>Default number of mutants per forward pass.</summary>
    public const int DefaultBatchSize = 128;

    /// <summary>
    /// ISM of <paramref name="sequence"/> <c>(L, 4)</c> or <c>(1, L, 4)</c> through any model:
    /// <paramref name="predict"/> maps one-hot batches <c>(B, L, 4)</c> to <c>(B, T)</c>. It is
    /// called inside <see cref="Tape.NoGrad"/>, on batches of at most <paramref name="batchSize"/>
    /// full-length mutants (default <see cref="DefaultBatchSize"/>).
    /// </summary>
    public static IsmResult Run(Func<Tensor, Tensor> predict, Tensor sequence, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var x = SequenceData(sequence);
        int l = x.Length / 4;
        var bases = ReferenceBases(x);
        var mutants = Mutants(bases);
        using (Tape.NoGrad())
        {
            var reference = Predictions(predict(new Tensor(new Shape(1, l, 4), (float[])x.Clone())), 1);
            int t = reference.Length;
            var deltas = new float[t * l * 4];
            for (int start = 0; start < mutants.Length; start += batchSize)
            {
                int n = Math.Min(batchSize, mutants.Length - start);
                var batch = new float[n * l * 4];
                for (int m = 0; m < n; m++)
                {
                    var (position, basis) = mutants[start + m];
                    var row = batch.AsSpan(m * l * 4, l * 4);
                    x.CopyTo(row);
                    SetBase(row.Slice(position * 4, 4), basis);
                }
                var y = Predictions(predict(new Tensor(new Shape(n, l, 4), batch)), n);
                Scatter(y, reference, mutants.AsSpan(start, n), deltas, l);
            }
            return new IsmResult(reference, deltas, bases);
        }
    }

    /// <summary>
    /// Fast ISM through a <see cref="CondPromoter"/> (regression, one output per treatment): each
    /// mutant's convolution features are recomputed only where its base reaches and spliced into the
    /// reference features; the positional encoding, attention layers and head run on the full
    /// positions, <paramref name="batchSize"/> mutants at a time. Cross-attention models (the
    /// default) take <see cref="IsmEngine"/>: only the changed convolution outputs and first-block
    /// Q/K/V rows are computed, the treatment queries are projected once, and every intermediate
    /// lives in buffers reused from batch to batch. By default one batch runs at a time and its ops
    /// spread over the cores; <paramref name="parallelBatches"/> &gt; 1 runs that many batches side by
    /// side instead, each with single-threaded ops and its own buffers (0: one per core, at most
    /// <see cref="Gemm.ThreadsForThisThread"/>). The model runs in evaluation mode (its mode is
    /// restored afterwards) and must not be changed while this runs. Results equal <see cref="Run(Func{Tensor, Tensor}, Tensor, int)"/>
    /// with <c>model.Forward</c> up to float rounding of batched products, whatever the batch size
    /// and thread count.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="sequence">One-hot <c>(L, 4)</c> or <c>(1, L, 4)</c> with the model's length L.</param>
    /// <param name="batchSize">Mutants per forward pass; default <see cref="DefaultBatchSize"/>.</param>
    /// <param name="parallelBatches">Batches in flight at once: 1 (default) one after another, 0 one per core.</param>
    public static IsmResult Run(CondPromoter model, Tensor sequence, int batchSize = DefaultBatchSize, int parallelBatches = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(parallelBatches);
        if (model.OutputsPerTreatment != 1)
        {
            throw new ArgumentException("ISM needs a regression model (one output per treatment).", nameof(model));
        }
        var x = SequenceData(sequence);
        int l = x.Length / 4;
        if (l != model.Options.SequenceLength)
        {
            throw new ArgumentException($"The model reads {model.Options.SequenceLength} bp; the sequence has {l}.", nameof(sequence));
        }
        var bases = ReferenceBases(x);
        var mutants = Mutants(bases);
        var windows = new IsmWindows(model.Options);
        bool training = model.IsTraining;
        model.Eval();
        try
        {
            var engine = IsmEngine.TryCreate(model);
            if (engine is not null)
            {
                var changes = mutants.Select(m => windows.Affected(m.Position)).ToArray();
                var reachable = Enumerable.Range(0, mutants.Length).Where(i => changes[i].Hi >= changes[i].Lo).ToArray();
                var fastDeltas = new float[model.Options.TreatmentCount * l * 4];
                int inFlight = parallelBatches > 0 ? parallelBatches : Math.Min(Environment.ProcessorCount, Gemm.ThreadsForThisThread);
                var predictions = engine.Run(x, [.. reachable.Select(i => mutants[i])], [.. reachable.Select(i => changes[i])], batchSize, inFlight, fastDeltas);
                return new IsmResult(predictions, fastDeltas, bases);
            }
            Tensor features;
            float[] reference;
            using (Tape.NoGrad())
            {
                features = model.Convolve(new Tensor(new Shape(1, l, 4), (float[])x.Clone())); // (1, C, T')
                reference = Predictions(model.ForwardEncoded(model.EncodeFeatures(features), needWeights: false).Predictions, 1);
            }
            var deltas = new float[reference.Length * l * 4];

            // Mutants whose base reaches no final position (pooled-away tails) keep a delta of 0.
            var reach = mutants.Select(m => windows.Affected(m.Position)).ToArray();
            var active = Enumerable.Range(0, mutants.Length).Where(i => reach[i].Hi >= reach[i].Lo).ToArray();
            int batches = (active.Length + batchSize - 1) / batchSize;
            int workers = Math.Min(batches, parallelBatches > 0 ? parallelBatches : Math.Min(Environment.ProcessorCount, Gemm.ThreadsForThisThread));
            var splice = new Splice(model, x, features, mutants, reach, windows);
            if (workers <= 1)
            {
                for (int i = 0; i < batches; i++)
                {
                    RunBatch(i);
                }
            }
            else
            {
                Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = workers }, RunBatch);
            }
            return new IsmResult(reference, deltas, bases);

            void RunBatch(int index)
            {
                // Tape.NoGrad is per thread: each worker opens its own scope. With batches side by
                // side every core is busy, so the ops inside a batch stay on their thread instead of
                // nesting parallel loops that would only contend.
                using (Tape.NoGrad())
                using (Gemm.LimitThreads(workers > 1 ? 1 : Gemm.ThreadsForThisThread))
                {
                    int start = index * batchSize, n = Math.Min(batchSize, active.Length - start);
                    var chunk = active.AsSpan(start, n).ToArray();
                    var memory = model.EncodeFeatures(splice.Features(chunk));
                    var y = Predictions(model.ForwardEncoded(memory, needWeights: false).Predictions, n);
                    // Each mutant owns its (position, base) cells of deltas, so batches write disjoint entries.
                    Scatter(y, reference, chunk.Select(i => mutants[i]).ToArray(), deltas, l);
                }
            }
        }
        finally
        {
            model.Train(training);
        }
    }

    /// <summary>
    /// Builds the convolution features of a batch of mutants: the reference features with each
    /// mutant's reachable final positions replaced by a convolution of the short window around it.
    /// </summary>
    private sealed class Splice(CondPromoter model, float[] x, Tensor features, (int Position, int Basis)[] mutants, (int Lo, int Hi)[] reach, IsmWindows windows)
    {
        /// <summary>Features <c>(n, C, T')</c> of the mutants <paramref name="chunk"/> (indices into the mutant list).</summary>
        public Tensor Features(int[] chunk)
        {
            int n = chunk.Length, c = features.Shape[1], tp = features.Shape[2];
            var spliced = GC.AllocateUninitializedArray<float>(n * c * tp);   // (n, C, T')
            for (int m = 0; m < n; m++)
            {
                features.Data.CopyTo(spliced.AsSpan(m * c * tp, c * tp));
            }
            // Mutants with equal window widths are convolved together.
            foreach (var group in chunk.Select((mutant, slot) => (mutant, slot, window: windows.Window(reach[mutant].Lo, reach[mutant].Hi)))
                         .GroupBy(e => e.window.End - e.window.Start))
            {
                var members = group.ToArray();
                int w = group.Key;
                var input = new float[members.Length * w * 4];
                for (int g = 0; g < members.Length; g++)
                {
                    var row = input.AsSpan(g * w * 4, w * 4);
                    x.AsSpan(members[g].window.Start * 4, w * 4).CopyTo(row);
                    var (position, basis) = mutants[members[g].mutant];
                    SetBase(row.Slice((position - members[g].window.Start) * 4, 4), basis);
                }
                var local = model.Convolve(new Tensor(new Shape(members.Length, w, 4), input)); // (g, C, w')
                int wp = local.Shape[2];
                for (int g = 0; g < members.Length; g++)
                {
                    var (lo, hi) = reach[members[g].mutant];
                    int offset = members[g].window.Start / windows.Stride;
                    for (int ch = 0; ch < c; ch++)
                    {
                        local.Data.AsSpan(((g * c) + ch) * wp + lo - offset, hi - lo + 1)
                            .CopyTo(spliced.AsSpan(((members[g].slot * c) + ch) * tp + lo, hi - lo + 1));
                    }
                }
            }
            return new Tensor(new Shape(n, c, tp), spliced);
        }
    }

    /// <summary>
    /// The naive oracle: one forward pass per mutant (and one for the reference) through
    /// <paramref name="predict"/> <c>(1, L, 4) → (1, T)</c>. For tests and tiny inputs.
    /// </summary>
    public static IsmResult Reference(Func<Tensor, Tensor> predict, Tensor sequence)
    {
        ArgumentNullException.ThrowIfNull(predict);
        var x = SequenceData(sequence);
        int l = x.Length / 4;
        var bases = ReferenceBases(x);
        using (Tape.NoGrad())
        {
            var reference = Predictions(predict(new Tensor(new Shape(1, l, 4), (float[])x.Clone())), 1);
            var deltas = new float[reference.Length * l * 4];
            foreach (var (position, basis) in Mutants(bases))
            {
                var mutant = (float[])x.Clone();
                SetBase(mutant.AsSpan(position * 4, 4), basis);
                var y = Predictions(predict(new Tensor(new Shape(1, l, 4), mutant)), 1);
                for (int t = 0; t < reference.Length; t++)
                {
                    deltas[((t * l) + position) * 4 + basis] = y[t] - reference[t];
                }
            }
            return new IsmResult(reference, deltas, bases);
        }
    }

    /// <summary>The reference base per position of one-hot <c>(L·4)</c> data: 0–3, or −1 when the position is not one-hot.</summary>
    internal static int[] ReferenceBases(ReadOnlySpan<float> x)
    {
        var bases = new int[x.Length / 4];
        for (int i = 0; i < bases.Length; i++)
        {
            bases[i] = -1;
            var column = x.Slice(i * 4, 4);
            int ones = 0, zeros = 0;
            for (int b = 0; b < 4; b++)
            {
                ones += column[b] == 1f ? 1 : 0;
                zeros += column[b] == 0f ? 1 : 0;
            }
            if (ones == 1 && zeros == 3)
            {
                bases[i] = column.IndexOf(1f);
            }
        }
        return bases;
    }

    /// <summary>The flat one-hot data of <paramref name="sequence"/> <c>(L, 4)</c> or <c>(1, L, 4)</c>.</summary>
    internal static float[] SequenceData(Tensor sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        bool single = (sequence.Rank == 2 && sequence.Shape[1] == DnaAlphabet.Size)
            || (sequence.Rank == 3 && sequence.Shape[0] == 1 && sequence.Shape[2] == DnaAlphabet.Size);
        if (!single || sequence.Size == 0)
        {
            throw new ArgumentException($"Expected one one-hot sequence (L, 4) or (1, L, 4), got {sequence.Shape}.", nameof(sequence));
        }
        return sequence.Data;
    }

    private static (int Position, int Basis)[] Mutants(int[] bases)
    {
        var mutants = new List<(int, int)>(bases.Length * 3);
        for (int i = 0; i < bases.Length; i++)
        {
            for (int b = 0; b < 4; b++)
            {
                if (b != bases[i])
                {
                    mutants.Add((i, b));
                }
            }
        }
        return mutants.ToArray();
    }

    private static void SetBase(Span<float> column, int basis)
    {
        column.Clear();
        column[basis] = 1f;
    }

    private static float[] Predictions(Tensor y, int batch)
    {
        if (y.Rank != 2 || y.Shape[0] != batch)
        {
            throw new ArgumentException($"The model must return ({batch}, T) predictions, got {y.Shape}.");
        }
        return y.Data;
    }

    private static void Scatter(float[] y, float[] reference, ReadOnlySpan<(int Position, int Basis)> mutants, float[] deltas, int l)
    {
        int t = reference.Length;
        for (int m = 0; m < mutants.Length; m++)
        {
            var (position, basis) = mutants[m];
            for (int k = 0; k < t; k++)
            {
                deltas[((k * l) + position) * 4 + basis] = y[m * t + k] - reference[k];
            }
        }
    }
}
