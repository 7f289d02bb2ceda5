using Promptor.Tensors;

namespace Promptor.Genomics.Interpretation;

/// <summary>Batched input gradients of chosen outputs, shared by the gradient attributions.</summary>
internal static class AttributionGradients
{
    /// <summary>
    /// For every requested treatment t and every input k of <paramref name="inputs"/> (each <c>L·4</c>),
    /// the gradient <c>∂f_t(input_k)/∂input_k</c> and the prediction <c>f_t(input_k)</c>.
    /// Returns per treatment row the gradients summed over inputs with weights
    /// <paramref name="weight"/>(row, k), and the per-input predictions.
    /// </summary>
    public static (int[] Rows, float[][] Predictions, float[][] Gradients) Compute(Func<Tensor, Tensor> predict, IReadOnlyList<float[]> inputs,
        IReadOnlyList<int>? treatments, int l, int batchSize, Func<int, int, double> weight)
    {
        int[]? rows = treatments?.ToArray();
        var pairs = new List<(int Row, int Input)>();
        // The treatment count is only known after the first forward pass when all are requested.
        if (rows is null)
        {
            using (Promptor.Tensors.Autograd.Tape.NoGrad())
            {
                int t = predict(new Tensor(new Shape(1, l, 4), (float[])inputs[0].Clone())).Shape[-1];
                rows = Enumerable.Range(0, t).ToArray();
            }
        }
        if (rows.Length == 0)
        {
            throw new ArgumentException("No treatment to explain.", nameof(treatments));
        }
        for (int r = 0; r < rows.Length; r++)
        {
            for (int k = 0; k < inputs.Count; k++)
            {
                pairs.Add((r, k));
            }
        }
        var predictions = rows.Select(_ => new float[inputs.Count]).ToArray();
        var sums = rows.Select(_ => new double[l * 4]).ToArray();
        int chunk = Math.Max(1, Math.Min(batchSize, pairs.Count));
        for (int start = 0; start < pairs.Count; start += chunk)
        {
            int n = Math.Min(chunk, pairs.Count - start);
            var data = new float[n * l * 4];
            for (int m = 0; m < n; m++)
            {
                inputs[pairs[start + m].Input].CopyTo(data, m * l * 4);
            }
            var x = new Tensor(new Shape(n, l, 4), data, requiresGrad: true);
            var y = predict(x);
            if (y.Rank != 2 || y.Shape[0] != n)
            {
                throw new ArgumentException($"The model must return ({n}, T) predictions, got {y.Shape}.");
            }
            int t = y.Shape[1];
            var select = new float[n * t];
            for (int m = 0; m < n; m++)
            {
                var (row, input) = pairs[start + m];
                if ((uint)rows[row] >= (uint)t)
                {
                    throw new ArgumentOutOfRangeException(nameof(treatments), $"Treatment index {rows[row]} is outside 0..{t - 1}.");
                }
                select[m * t + rows[row]] = 1f;
                predictions[row][input] = y.Data[m * t + rows[row]];
            }
            (y * new Tensor(y.Shape, select)).Sum().Backward();
            var grad = x.Grad ?? new Tensor(x.Shape);
            for (int m = 0; m < n; m++)
            {
                var (row, input) = pairs[start + m];
                double w = weight(row, input);
                var sum = sums[row];
                var g = grad.Data.AsSpan(m * l * 4, l * 4);
                for (int i = 0; i < g.Length; i++)
                {
                    sum[i] += w * g[i];
                }
            }
        }
        var gradients = sums.Select(s => s.Select(v => (float)v).ToArray()).ToArray();
        return (rows, predictions, gradients);
    }
}
