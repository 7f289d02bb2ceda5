using System.Numerics.Tensors;
using Promptor.Genomics.Models;
using Promptor.Nn;
using Promptor.Nn.Attention;
using Promptor.Nn.Layers;
using Promptor.Nn.Transformer;
using Promptor.Tensors;
using Promptor.Tensors.Kernels;
using Tensor = Promptor.Tensors.Tensor;

namespace Promptor.Genomics.Interpretation;

/// <summary>
/// The in-silico mutagenesis forward pass of a <see cref="CondPromoter"/> (cross-attention
/// conditioning, one output per treatment) that computes only what a single-base change alters,
/// on buffers reused from batch to batch:
/// <list type="bullet">
/// <item>Convolutions: per layer only the outputs whose receptive field holds a changed input are
/// computed (one im2col product for the whole batch); the other values of their pooling windows
/// come from the reference sequence's pre-pool activations. A mutation thus costs ~15 first-layer
/// and ~13 second-layer outputs instead of a whole window.</item>
/// <item>First self-attention block: the Q/K/V projections of positions the mutation does not reach
/// equal the reference's and are copied; only the 3–4 changed rows are projected.</item>
/// <item>Cross-attention: the treatment queries are the same for every mutant and are projected once;
/// keys and values come from one packed product and are read in place by the attention kernel.</item>
/// <item>Every other step runs the model's own inference kernels (<see cref="InferenceKernels"/>) with
/// bias, ReLU and residual folded into the products.</item>
/// </list>
/// All of it is exact: the result equals the model's forward pass of each mutant up to float rounding
/// (summation order). <see cref="TryCreate"/> returns null for models outside this structure.
/// </summary>
internal sealed class IsmEngine
{
    private readonly ConvLayer[] convolutions;
    private readonly float[]? projectionWeight, projectionBias;
    private readonly float[] positionTable;      // (T', d)
    private readonly EncoderLayer[] layers;
    private readonly (float[]? Gamma, float[]? Beta, float Eps)? finalNorm;
    private readonly Cross cross;
    private readonly int length, positions, channels, d, treatments;

    private IsmEngine(CondPromoter model, ConvLayer[] convolutions, EncoderLayer[] layers, Cross cross)
    {
        var options = model.Options;
        this.convolutions = convolutions;
        this.layers = layers;
        this.cross = cross;
        length = options.SequenceLength;
        positions = options.EncodedLength;
        channels = convolutions[^1].OutChannels;
        d = options.ModelDim;
        treatments = options.TreatmentCount;
        if (model.Projection is { } projection)
        {
            projectionWeight = projection.Weight.Data;
            projectionBias = projection.Bias?.Data;
        }
        using (Promptor.Tensors.Autograd.Tape.NoGrad())
        {
            positionTable = (float[])model.Positions.Forward(new Tensor(new Shape(1, positions, d))).Data.Clone();
        }
        if (model.Encoder?.Norm is { } norm)
        {
            finalNorm = (norm.Weight?.Data, norm.Bias?.Data, norm.Eps);
        }
    }

    /// <summary>
    /// The engine for <paramref name="model"/>, or null when the model is not a regression
    /// cross-attention <see cref="CondPromoter"/> with packed attention projections, ReLU
    /// feed-forwards, one query per treatment and no attended batch norm. Reads the model's
    /// parameters as they are now; it must not be changed while the engine is used.
    /// </summary>
    public static IsmEngine? TryCreate(CondPromoter model)
    {
        var o = model.Options;
        if (o.Conditioning != ConditioningMethod.CrossAttention || o.QueriesPerTreatment != 1 || o.OutputsPerTreatment != 1
            || model.AttendedNorm is not null || model.CrossAttention?.InProjWeight is null || model.Norm is null
            || o.EncodedLength > InferenceKernels.MaxKeyLength)
        {
            return null;
        }
        var children = model.NamedChildren().ToDictionary(c => c.Name, c => c.Module);
        var convs = new ConvLayer[o.Convolutions.Count];
        int n = o.SequenceLength, inChannels = 4;
        for (int i = 0; i < convs.Length; i++)
        {
            if (children.GetValueOrDefault($"conv{i + 1}") is not Conv1d conv || conv.Stride != 1)
            {
                return null;
            }
            var norm = children.GetValueOrDefault($"bn{i + 1}") as BatchNorm1d;
            convs[i] = ConvLayer.From(conv, norm, o.Convolutions[i].Pool, n, inChannels);
            n /= o.Convolutions[i].Pool;
            inChannels = conv.OutChannels;
        }
        var encoderLayers = new List<EncoderLayer>();
        foreach (var layer in model.Encoder?.Layers.Items ?? [])
        {
            var built = EncoderLayer.From(layer);
            if (built is null)
            {
                return null;
            }
            encoderLayers.Add(built);
        }
        if (model.Head.Count != 4 || model.Head[0] is not Linear hidden || model.Head[1] is not Relu || model.Head[2] is not Dropout
            || model.Head[3] is not Linear output || output.OutFeatures != 1)
        {
            return null;
        }
        Tensor tokens;
        using (Promptor.Tensors.Autograd.Tape.NoGrad())
        {
            tokens = model.DescriptorEncoder?.Forward() ?? model.TreatmentEmbedding!.Weight;
        }
        var crossAttention = Cross.From(model.CrossAttention, tokens.Data, model.Norm, hidden, output, o.TreatmentCount);
        return new IsmEngine(model, convs, [.. encoderLayers], crossAttention);
    }

    /// <summary>Whether the engine takes this self-attention block (packed projections, ReLU feed-forward, both norms).</summary>
    internal static bool Supports(TransformerEncoderLayer layer) => EncoderLayer.From(layer) is not null;

    /// <summary>
    /// Runs the mutants <paramref name="mutants"/> (position, base) of <paramref name="sequence"/>
    /// <c>(L·4)</c>, whose changed final positions are <paramref name="reach"/> (non-empty), in
    /// batches of <paramref name="batchSize"/>; returns the reference predictions <c>(T)</c> and
    /// writes each mutant's change into <paramref name="deltas"/> <c>(T, L, 4)</c>.
    /// <paramref name="parallelBatches"/> &gt; 1 runs that many batches side by side on single-threaded kernels.
    /// </summary>
    public float[] Run(float[] sequence, (int Position, int Basis)[] mutants, (int Lo, int Hi)[] reach, int batchSize, int parallelBatches, float[] deltas)
    {
        // The reference: every convolution output, the first block's Q/K/V of every position, and
        // its predictions through the same kernels as the mutants.
        var referenceConv = new float[convolutions.Length][];
        var referenceInputs = new float[convolutions.Length + 1][];
        referenceInputs[0] = sequence;
        for (int i = 0; i < convolutions.Length; i++)
        {
            (referenceConv[i], referenceInputs[i + 1]) = convolutions[i].Full(referenceInputs[i]);
        }
        var referenceRows = Embed(referenceInputs[^1], positions, 0);                     // (T', d)
        float[]? referenceQkv = layers.Length > 0 ? layers[0].ProjectRows(referenceRows, positions) : null; // (T', 3d)
        var reference = new Reference(referenceInputs, referenceConv, referenceRows, referenceQkv);

        float[] referencePredictions;
        using (var single = new Lane(this, 1))
        {
            referencePredictions = RunBatch(single, reference, [], []).AsSpan(0, treatments).ToArray();
        }

        int batches = (mutants.Length + batchSize - 1) / batchSize;
        int workers = Math.Max(1, Math.Min(batches, parallelBatches));
        if (workers <= 1)
        {
            using var lane = new Lane(this, Math.Min(batchSize, Math.Max(1, mutants.Length)));
            for (int i = 0; i < batches; i++)
            {
                RunChunk(lane, i);
            }
            return referencePredictions;
        }
        var lanes = new System.Collections.Concurrent.ConcurrentBag<Lane>();
        try
        {
            Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
            {
                using (Gemm.LimitThreads(1))
                {
                    if (!lanes.TryTake(out var own))
                    {
                        own = new Lane(this, batchSize);
                    }
                    try
                    {
                        RunChunk(own, i);
                    }
                    finally
                    {
                        lanes.Add(own);
                    }
                }
            });
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Dispose();
            }
        }
        return referencePredictions;

        void RunChunk(Lane own, int index)
        {
            int start = index * batchSize, count = Math.Min(batchSize, mutants.Length - start);
            var chunk = mutants.AsSpan(start, count).ToArray();
            var y = RunBatch(own, reference, chunk, reach.AsSpan(start, count).ToArray());
            // Each mutant owns its (position, base) cells, so batches write disjoint entries.
            for (int m = 0; m < count; m++)
            {
                var (position, basis) = chunk[m];
                for (int t = 0; t < treatments; t++)
                {
                    deltas[((t * length) + position) * 4 + basis] = y[m * treatments + t] - referencePredictions[t];
                }
            }
        }
    }

    /// <summary>The reference sequence's activations the mutants share.</summary>
    private sealed record Reference(float[][] Inputs, float[][] PrePool, float[] Rows, float[]? Qkv);

    /// <summary>
    /// Predictions <c>(n, T)</c> of the mutants (none: the reference alone), in <paramref name="lane"/>'s buffers.
    /// </summary>
    private float[] RunBatch(Lane lane, Reference reference, (int Position, int Basis)[] mutants, (int Lo, int Hi)[] reach)
    {
        int n = Math.Max(1, mutants.Length), t = positions;
        // 1. Changed final positions of every mutant through the convolution stack.
        var changed = ChangedFeatures(lane, reference, mutants, reach);                   // (Σ rows, C)
        int changedRows = reach.Sum(r => r.Hi - r.Lo + 1);
        var embedded = changedRows > 0 ? EmbedChanged(changed, reach, changedRows) : [];   // (Σ rows, d)

        // 2. Encoded positions: the reference's with each mutant's changed rows replaced; the same
        // for the first block's Q/K/V projections.
        var x = lane.X;
        var first = new int[reach.Length + 1];
        for (int m = 0; m < reach.Length; m++)
        {
            first[m + 1] = first[m] + reach[m].Hi - reach[m].Lo + 1;
        }
        Splice(reference.Rows, embedded, reach, first, n, x, d);
        bool qkvReady = false;
        if (layers.Length > 0)
        {
            var projected = changedRows > 0 ? layers[0].ProjectRows(embedded, changedRows) : [];
            Splice(reference.Qkv!, projected, reach, first, n, lane.Qkv, 3 * d);
            qkvReady = true;
        }

        // 3. Self-attention blocks over every position.
        foreach (var layer in layers)
        {
            layer.Forward(lane, n * t, n, t, qkvReady);
            qkvReady = false;
        }
        if (finalNorm is { } norm)
        {
            InferenceKernels.LayerNorm(x, norm.Gamma, norm.Beta, x, n * t, d, norm.Eps);
        }

        // 4. The treatments' cross-attention and the head.
        return cross.Forward(lane, n, t);
    }

    /// <summary>Final-layer rows <c>(Σ (Hi − Lo + 1), C)</c> of every mutant's changed positions, mutant after mutant.</summary>
    private float[] ChangedFeatures(Lane lane, Reference reference, (int Position, int Basis)[] mutants, (int Lo, int Hi)[] reach)
    {
        int n = mutants.Length;
        var lo = new int[n];
        var hi = new int[n];
        var offsets = new int[n + 1];
        var rows = new float[n * 4];
        for (int m = 0; m < n; m++)
        {
            lo[m] = hi[m] = mutants[m].Position;
            rows[m * 4 + mutants[m].Basis] = 1f;
            offsets[m + 1] = m + 1;
        }
        for (int i = 0; i < convolutions.Length; i++)
        {
            (rows, offsets) = convolutions[i].Changed(lane, reference.Inputs[i], reference.PrePool[i], lo, hi, rows, offsets);
        }
        for (int m = 0; m < n; m++)
        {
            if (lo[m] != reach[m].Lo || hi[m] != reach[m].Hi)
            {
                throw new InvalidOperationException($"Changed positions [{lo[m]}, {hi[m]}] of mutant {mutants[m]} differ from the window geometry's [{reach[m].Lo}, {reach[m].Hi}].");
            }
        }
        return rows;
    }

    /// <summary>Feature rows <c>(count, C)</c> at positions from <paramref name="first"/> → encoded rows <c>(count, d)</c>: projection and positions.</summary>
    private float[] Embed(float[] features, int count, int first)
    {
        var rows = Project(features, count);
        for (int r = 0; r < count; r++)
        {
            var row = rows.AsSpan(r * d, d);
            TensorPrimitives.Add(row, positionTable.AsSpan((first + r) * d, d), row);
        }
        return rows;
    }

    private float[] EmbedChanged(float[] features, (int Lo, int Hi)[] reach, int count)
    {
        var rows = Project(features, count);
        int r = 0;
        foreach (var (lo, hi) in reach)
        {
            for (int p = lo; p <= hi; p++, r++)
            {
                var row = rows.AsSpan(r * d, d);
                TensorPrimitives.Add(row, positionTable.AsSpan(p * d, d), row);
            }
        }
        return rows;
    }

    private float[] Project(float[] features, int count)
    {
        if (projectionWeight is null)
        {
            return features.AsSpan(0, count * d).ToArray();
        }
        var rows = new float[count * d];
        InferenceKernels.Linear(features, projectionWeight, projectionBias, null, rows, count, channels, d);
        return rows;
    }

    /// <summary>
    /// Fills each of the <paramref name="n"/> (T', width) blocks of <paramref name="target"/> with the
    /// reference rows, then mutant m's changed rows (from row <paramref name="first"/>[m] of
    /// <paramref name="changed"/>) over its positions <c>[Lo, Hi]</c>; mutants in parallel.
    /// </summary>
    private void Splice(float[] referenceRows, float[] changed, (int Lo, int Hi)[] reach, int[] first, int n, float[] target, int width)
    {
        int block = positions * width;
        InferenceKernels.ForRows(n, block, (start, count) =>
        {
            for (int m = start; m < start + count; m++)
            {
                referenceRows.AsSpan(0, block).CopyTo(target.AsSpan(m * block, block));
                if (m < reach.Length)
                {
                    changed.AsSpan(first[m] * width, (first[m + 1] - first[m]) * width).CopyTo(target.AsSpan((m * positions + reach[m].Lo) * width));
                }
            }
        });
    }

    /// <summary>
    /// Buffers of one batch in flight, reused from batch to batch and rented from the shared array
    /// pool, so repeated ISMs reuse the same memory instead of leaving large arrays to the collector.
    /// </summary>
    private sealed class Lane : IDisposable
    {
        private float[] patches = [], convOutput = [];

        public Lane(IsmEngine engine, int batch)
        {
            int rows = batch * engine.positions, d = engine.d;
            int feedForward = engine.layers.Length == 0 ? 1 : engine.layers.Max(l => l.FeedForwardWidth);
            X = Rent(rows * d);
            Qkv = Rent(rows * 3 * d);
            Attended = Rent(rows * d);
            Y = Rent(rows * d);
            Hidden = Rent(rows * feedForward);
            CrossHeads = Rent(batch * engine.treatments * d);
            PerTreatment = Rent(batch * engine.treatments * d);
            HeadHidden = Rent(batch * engine.treatments * engine.cross.HiddenWidth);
        }

        public float[] X { get; }

        public float[] Qkv { get; }

        public float[] Attended { get; }

        public float[] Y { get; }

        public float[] Hidden { get; }

        public float[] CrossHeads { get; }

        public float[] PerTreatment { get; }

        public float[] HeadHidden { get; }

        /// <summary>Scratch of at least <paramref name="length"/> floats for the convolutions' patch matrices.</summary>
        public float[] Patches(int length) => Grow(ref patches, length);

        /// <summary>Scratch of at least <paramref name="length"/> floats for the convolutions' outputs.</summary>
        public float[] ConvOutput(int length) => Grow(ref convOutput, length);

        public void Dispose()
        {
            foreach (var array in new[] { X, Qkv, Attended, Y, Hidden, CrossHeads, PerTreatment, HeadHidden, patches, convOutput })
            {
                if (array.Length > 0)
                {
                    System.Buffers.ArrayPool<float>.Shared.Return(array);
                }
            }
            patches = convOutput = [];
        }

        private static float[] Rent(int length) => System.Buffers.ArrayPool<float>.Shared.Rent(Math.Max(1, length));

        private static float[] Grow(ref float[] buffer, int length)
        {
            if (buffer.Length < length)
            {
                if (buffer.Length > 0)
                {
                    System.Buffers.ArrayPool<float>.Shared.Return(buffer);
                }
                buffer = Rent(length);
            }
            return buffer;
        }
    }

    /// <summary>
    /// One 'same' convolution (stride 1) with optional bias and eval-mode batch norm, max-pooled
    /// (trailing remainder dropped) and rectified. Activations are <c>(positions, channels)</c> rows.
    /// </summary>
    private sealed class ConvLayer
    {
        private float[] weight = [];                 // (Cout, Width·Cin), tap-major: [o, k·Cin + c]
        private float[]? bias, mean, scale, shift;

        public int InChannels { get; private init; }

        public int OutChannels { get; private init; }

        private int Width { get; init; }

        private int Dilation { get; init; }

        private int Left { get; init; }

        private int Right { get; init; }

        private int Pool { get; init; }

        private int InLength { get; init; }

        /// <summary>Pre-pool outputs kept by the pooling: <c>⌊L/pool⌋·pool</c>.</summary>
        private int Kept => InLength / Pool * Pool;

        public static ConvLayer From(Conv1d conv, BatchNorm1d? norm, int pool, int inLength, int inChannels)
        {
            int cout = conv.OutChannels, cin = conv.InChannels, w = conv.KernelSize, total = conv.Dilation * (w - 1);
            var layer = new ConvLayer
            {
                InChannels = cin, OutChannels = cout, Width = w, Dilation = conv.Dilation,
                Left = total / 2, Right = total - total / 2, Pool = Math.Max(1, pool), InLength = inLength,
            };
            if (cin != inChannels)
            {
                throw new InvalidOperationException($"Convolution reads {cin} channels, the previous layer gives {inChannels}.");
            }
            var source = conv.Weight.Data;                                    // (Cout, Cin, W)
            layer.weight = new float[cout * w * cin];
            for (int o = 0; o < cout; o++)
            {
                for (int c = 0; c < cin; c++)
                {
                    for (int k = 0; k < w; k++)
                    {
                        layer.weight[o * w * cin + k * cin + c] = source[(o * cin + c) * w + k];
                    }
                }
            }
            layer.bias = conv.Bias?.Data;
            if (norm is not null)
            {
                layer.mean = norm.RunningMean.Data;
                layer.scale = new float[cout];
                layer.shift = new float[cout];
                for (int o = 0; o < cout; o++)
                {
                    // As the batch norm kernel in evaluation mode: (x − μ) · (rstd · γ) + β.
                    float rstd = 1f / MathF.Sqrt(norm.RunningVar.Data[o] + norm.Eps);
                    layer.scale[o] = rstd * norm.Weight.Data[o];
                    layer.shift[o] = norm.Bias.Data[o];
                }
            }
            return layer;
        }

        /// <summary>Every pre-pool output <c>(L, Cout)</c> and the pooled, rectified output <c>(⌊L/pool⌋, Cout)</c> of a whole input <c>(L, Cin)</c>.</summary>
        public (float[] PrePool, float[] Output) Full(float[] input)
        {
            var patches = new float[InLength * Width * InChannels];
            for (int j = 0; j < InLength; j++)
            {
                Patch(patches.AsSpan(j * Width * InChannels, Width * InChannels), j, input, input, 0, InLength - 1, 0);
            }
            var prePool = new float[InLength * OutChannels];
            Multiply(patches, prePool, InLength);
            int pooled = InLength / Pool;
            var output = new float[pooled * OutChannels];
            for (int p = 0; p < pooled; p++)
            {
                PoolRow(output.AsSpan(p * OutChannels, OutChannels), p, prePool, 0, prePool, 0, InLength);
            }
            return (prePool, output);
        }

        /// <summary>
        /// The changed outputs of a batch of mutants: mutant m's input differs from
        /// <paramref name="referenceInput"/> at rows <c>[lo[m], hi[m]]</c>, given in
        /// <paramref name="rows"/> from row <paramref name="offsets"/>[m]. Returns the changed pooled,
        /// rectified rows and their offsets; updates lo and hi to the changed output range.
        /// </summary>
        public (float[] Rows, int[] Offsets) Changed(Lane lane, float[] referenceInput, float[] referencePrePool, int[] lo, int[] hi, float[] rows, int[] offsets)
        {
            int n = lo.Length, patchWidth = Width * InChannels;
            var first = new int[n];
            var convOffsets = new int[n + 1];
            for (int m = 0; m < n; m++)
            {
                // Output j reads inputs [j − Left, j + Right]: it changes when that range meets [lo, hi].
                first[m] = Math.Max(0, lo[m] - Right);
                int last = Math.Min(Kept - 1, hi[m] + Left);
                convOffsets[m + 1] = convOffsets[m] + Math.Max(0, last - first[m] + 1);
            }
            int total = convOffsets[n];
            var patches = lane.Patches(total * patchWidth);
            int rowsPerMutant = Math.Max(1, total / Math.Max(1, n));
            InferenceKernels.ForRows(n, rowsPerMutant * patchWidth, (start, count) =>
            {
                for (int m = start; m < start + count; m++)
                {
                    for (int r = convOffsets[m]; r < convOffsets[m + 1]; r++)
                    {
                        int j = first[m] + r - convOffsets[m];
                        Patch(patches.AsSpan(r * patchWidth, patchWidth), j, referenceInput, rows, lo[m], hi[m], offsets[m]);
                    }
                }
            });
            var conv = lane.ConvOutput(total * OutChannels);
            Multiply(patches, conv, total);

            var pooledOffsets = new int[n + 1];
            for (int m = 0; m < n; m++)
            {
                int count = convOffsets[m + 1] - convOffsets[m];
                pooledOffsets[m + 1] = pooledOffsets[m] + (count == 0 ? 0 : ((first[m] + count - 1) / Pool) - (first[m] / Pool) + 1);
            }
            var output = new float[pooledOffsets[n] * OutChannels];
            InferenceKernels.ForRows(n, rowsPerMutant * OutChannels, (start, blockCount) =>
            {
                for (int m = start; m < start + blockCount; m++)
                {
                    int count = convOffsets[m + 1] - convOffsets[m];
                    if (count == 0)
                    {
                        (lo[m], hi[m]) = (0, -1);
                        continue;
                    }
                    int p0 = first[m] / Pool, p1 = (first[m] + count - 1) / Pool;
                    for (int p = p0; p <= p1; p++)
                    {
                        PoolRow(output.AsSpan((pooledOffsets[m] + p - p0) * OutChannels, OutChannels), p,
                            referencePrePool, first[m], conv, convOffsets[m] * OutChannels, count);
                    }
                    (lo[m], hi[m]) = (p0, p1);
                }
            });
            return (output, pooledOffsets);
        }

        /// <summary>
        /// The im2col row of output <paramref name="j"/>: for each tap k the input row
        /// <c>j − Left + k·Dilation</c> (zeros outside the sequence), taken from
        /// <paramref name="changed"/> (from row <paramref name="changedOffset"/>) inside <c>[lo, hi]</c>
        /// and from <paramref name="reference"/> elsewhere.
        /// </summary>
        private void Patch(Span<float> patch, int j, float[] reference, float[] changed, int lo, int hi, int changedOffset)
        {
            for (int k = 0; k < Width; k++)
            {
                int source = j - Left + k * Dilation;
                var target = patch.Slice(k * InChannels, InChannels);
                if (source < 0 || source >= InLength)
                {
                    target.Clear();
                }
                else if (source >= lo && source <= hi)
                {
                    changed.AsSpan((changedOffset + source - lo) * InChannels, InChannels).CopyTo(target);
                }
                else
                {
                    reference.AsSpan(source * InChannels, InChannels).CopyTo(target);
                }
            }
        }

        /// <summary>output (rows, Cout) = batch-normed (patches (rows, W·Cin) · weightᵀ + bias).</summary>
        private void Multiply(float[] patches, float[] output, int rows)
        {
            if (rows == 0)
            {
                return;
            }
            int patchWidth = Width * InChannels;
            Gemm.Multiply(false, true, rows, OutChannels, patchWidth, 1f, patches, patchWidth, weight, patchWidth,
                0f, output.AsSpan(0, rows * OutChannels), OutChannels);
            for (int r = 0; r < rows; r++)
            {
                var row = output.AsSpan(r * OutChannels, OutChannels);
                if (bias is not null)
                {
                    TensorPrimitives.Add(row, bias, row);
                }
                if (mean is not null)
                {
                    TensorPrimitives.Subtract(row, mean, row);
                    TensorPrimitives.Multiply(row, scale, row);
                    TensorPrimitives.Add(row, shift, row);
                }
            }
        }

        /// <summary>
        /// Pooled row p: <c>max(0, max over j in [p·Pool, p·Pool + Pool))</c>, reading pre-pool
        /// output j from <paramref name="computed"/> for <c>j − first ∈ [0, count)</c> and from
        /// <paramref name="reference"/> otherwise.
        /// </summary>
        private void PoolRow(Span<float> target, int p, float[] reference, int first, float[] computed, int computedOffset, int count)
        {
            for (int j = p * Pool; j < p * Pool + Pool; j++)
            {
                bool own = j - first >= 0 && j - first < count;
                var row = own
                    ? computed.AsSpan(computedOffset + (j - first) * OutChannels, OutChannels)
                    : reference.AsSpan(j * OutChannels, OutChannels);
                if (j == p * Pool)
                {
                    row.CopyTo(target);
                }
                else
                {
                    TensorPrimitives.Max(target, row, target);
                }
            }
            TensorPrimitives.Max(target, 0f, target);
        }
    }

    /// <summary>One self-attention block's parameters (packed Q/K/V projection, ReLU feed-forward).</summary>
    private sealed class EncoderLayer
    {
        private float[] inWeight = [], outWeight = [], weight1 = [], weight2 = [];
        private float[]? inBias, outBias, bias1, bias2, gates, gamma1, beta1, gamma2, beta2;
        private float eps1, eps2;
        private int heads, d;
        private bool normFirst;

        public int FeedForwardWidth { get; private set; }

        public static EncoderLayer? From(TransformerEncoderLayer layer)
        {
            var children = layer.NamedChildren().ToDictionary(c => c.Name, c => c.Module);
            var attention = layer.SelfAttention;
            if (attention.InProjWeight is null || layer.Options.Activation != FeedForwardActivation.Relu
                || children.GetValueOrDefault("linear1") is not Linear linear1 || children.GetValueOrDefault("linear2") is not Linear linear2
                || children.GetValueOrDefault("norm1") is not LayerNorm norm1 || children.GetValueOrDefault("norm2") is not LayerNorm norm2)
            {
                return null;
            }
            return new EncoderLayer
            {
                inWeight = attention.InProjWeight.Data, inBias = attention.InProjBias?.Data,
                outWeight = attention.OutProj.Weight.Data, outBias = attention.OutProj.Bias?.Data,
                weight1 = linear1.Weight.Data, bias1 = linear1.Bias?.Data,
                weight2 = linear2.Weight.Data, bias2 = linear2.Bias?.Data,
                gates = attention.HeadGates.Data,
                gamma1 = norm1.Weight?.Data, beta1 = norm1.Bias?.Data, eps1 = norm1.Eps,
                gamma2 = norm2.Weight?.Data, beta2 = norm2.Bias?.Data, eps2 = norm2.Eps,
                heads = attention.Options.Heads, d = attention.Options.EmbedDim,
                normFirst = layer.Options.NormFirst, FeedForwardWidth = linear1.OutFeatures,
            };
        }

        /// <summary>The packed Q/K/V <c>(rows, 3d)</c> of block inputs <c>(rows, d)</c> (after the first norm in pre-LN blocks).</summary>
        public float[] ProjectRows(float[] x, int rows)
        {
            var source = x;
            if (normFirst)
            {
                source = new float[rows * d];
                InferenceKernels.LayerNorm(x, gamma1, beta1, source, rows, d, eps1);
            }
            var qkv = new float[rows * 3 * d];
            InferenceKernels.Linear(source, inWeight, inBias, null, qkv, rows, d, 3 * d);
            return qkv;
        }

        /// <summary>
        /// The block on <c>lane.X</c> <c>(n, T, d)</c>, in place; with <paramref name="qkvReady"/>
        /// <c>lane.Qkv</c> already holds the projections of the block's input.
        /// </summary>
        public void Forward(Lane lane, int rows, int batch, int length, bool qkvReady)
        {
            var x = lane.X;
            if (normFirst)
            {
                if (!qkvReady)
                {
                    InferenceKernels.LayerNorm(x, gamma1, beta1, lane.Y, rows, d, eps1);
                    InferenceKernels.Linear(lane.Y, inWeight, inBias, null, lane.Qkv, rows, d, 3 * d);
                }
                Attend(lane, batch, length);
                InferenceKernels.Linear(lane.Attended, outWeight, outBias, x, x, rows, d, d);
                InferenceKernels.LayerNorm(x, gamma2, beta2, lane.Y, rows, d, eps2);
                InferenceKernels.Linear(lane.Y, weight1, bias1, null, lane.Hidden, rows, d, FeedForwardWidth, LinearActivation.Relu);
                InferenceKernels.Linear(lane.Hidden, weight2, bias2, x, x, rows, FeedForwardWidth, d);
                return;
            }
            if (!qkvReady)
            {
                InferenceKernels.Linear(x, inWeight, inBias, null, lane.Qkv, rows, d, 3 * d);
            }
            Attend(lane, batch, length);
            InferenceKernels.Linear(lane.Attended, outWeight, outBias, x, lane.Y, rows, d, d);
            InferenceKernels.LayerNorm(lane.Y, gamma1, beta1, lane.Y, rows, d, eps1);
            InferenceKernels.Linear(lane.Y, weight1, bias1, null, lane.Hidden, rows, d, FeedForwardWidth, LinearActivation.Relu);
            InferenceKernels.Linear(lane.Hidden, weight2, bias2, lane.Y, x, rows, FeedForwardWidth, d);
            InferenceKernels.LayerNorm(x, gamma2, beta2, x, rows, d, eps2);
        }

        private void Attend(Lane lane, int batch, int length)
        {
            int width = d / heads;
            InferenceKernels.Attention(
                lane.Qkv, AttentionLayout.Interleaved(0, length, 3 * d, width),
                lane.Qkv, AttentionLayout.Interleaved(d, length, 3 * d, width),
                lane.Qkv, AttentionLayout.Interleaved(2 * d, length, 3 * d, width),
                lane.Attended, AttentionLayout.Interleaved(0, length, d, width),
                batch, heads, length, length, width, 1f / MathF.Sqrt(width), gates);
        }
    }

    /// <summary>The treatments' cross-attention, its norm and the prediction head.</summary>
    private sealed class Cross
    {
        private float[] queries = [], keyValueWeight = [], outWeight = [], tokens = [], hiddenWeight = [], outputWeight = [];
        private float[]? keyValueBias, outBias, gates, gamma, beta, hiddenBias, outputBias;
        private float eps;
        private int heads, treatments, d;

        public int HiddenWidth { get; private set; }

        public static Cross From(MultiHeadAttention attention, float[] tokens, LayerNorm norm, Linear hidden, Linear output, int treatments)
        {
            int d = attention.Options.EmbedDim;
            var inWeight = attention.InProjWeight!.Data;                     // (3d, d) = [W_q; W_k; W_v]
            var inBias = attention.InProjBias?.Data;
            // The queries are the same for every sequence: projected once.
            var queries = new float[treatments * d];
            InferenceKernels.Linear(tokens, inWeight.AsSpan(0, d * d).ToArray(), inBias?.AsSpan(0, d).ToArray(), null, queries, treatments, d, d);
            return new Cross
            {
                queries = queries,
                keyValueWeight = inWeight.AsSpan(d * d, 2 * d * d).ToArray(),
                keyValueBias = inBias?.AsSpan(d, 2 * d).ToArray(),
                outWeight = attention.OutProj.Weight.Data, outBias = attention.OutProj.Bias?.Data,
                gates = attention.HeadGates.Data, heads = attention.Options.Heads, d = d,
                tokens = tokens, treatments = treatments,
                gamma = norm.Weight?.Data, beta = norm.Bias?.Data, eps = norm.Eps,
                hiddenWeight = hidden.Weight.Data, hiddenBias = hidden.Bias?.Data, HiddenWidth = hidden.OutFeatures,
                outputWeight = output.Weight.Data, outputBias = output.Bias?.Data,
            };
        }

        /// <summary>Predictions <c>(n, T)</c> from the encoded positions in <c>lane.X</c> <c>(n, T', d)</c>.</summary>
        public float[] Forward(Lane lane, int batch, int length)
        {
            int rows = batch * length, headWidth = d / heads, queryRows = batch * treatments;
            var keyValues = lane.Qkv;                                          // (n, T', 2d)
            InferenceKernels.Linear(lane.X, keyValueWeight, keyValueBias, null, keyValues, rows, d, 2 * d);
            InferenceKernels.Attention(
                queries, new AttentionLayout(0, 0, headWidth, d),
                keyValues, AttentionLayout.Interleaved(0, length, 2 * d, headWidth),
                keyValues, AttentionLayout.Interleaved(d, length, 2 * d, headWidth),
                lane.CrossHeads, AttentionLayout.Interleaved(0, treatments, d, headWidth),
                batch, heads, treatments, length, headWidth, 1f / MathF.Sqrt(headWidth), gates);
            // perTreatment = LayerNorm(token + out_proj(heads)): the token residual is the same for every sequence.
            var y = lane.PerTreatment;
            InferenceKernels.ForRows(batch, treatments * d, (start, count) =>
            {
                for (int b = start; b < start + count; b++)
                {
                    tokens.AsSpan(0, treatments * d).CopyTo(y.AsSpan(b * treatments * d));
                }
            });
            InferenceKernels.Linear(lane.CrossHeads, outWeight, outBias, y, y, queryRows, d, d);
            InferenceKernels.LayerNorm(y, gamma, beta, y, queryRows, d, eps);
            InferenceKernels.Linear(y, hiddenWeight, hiddenBias, null, lane.HeadHidden, queryRows, d, HiddenWidth, LinearActivation.Relu);
            var predictions = new float[queryRows];
            InferenceKernels.Linear(lane.HeadHidden, outputWeight, outputBias, null, predictions, queryRows, HiddenWidth, 1);
            return predictions;
        }
    }
}
