using System.Diagnostics;
using Promptor.Genomics.Data;

namespace Promptor.Genomics.Baselines;

/// <summary>Runs the k-mer ridge baseline on the default yeast stress task of DESIGN.md.</summary>
public static class KmerRidgeBaseline
{
    /// <summary>
    /// Loads the yeast task from <paramref name="dataDirectory"/> (the project's <c>data/</c> folder),
    /// fits <see cref="KmerRidge"/> on the training chromosomes with λ chosen on chromosome XV and
    /// evaluates on chromosome IV.
    /// </summary>
    /// <exception cref="FileNotFoundException">A bundled file is missing.</exception>
    /// <exception cref="IO.DataFormatException">A bundled file is malformed.</exception>
    public static KmerRidgeBaselineResult RunYeast(string dataDirectory, KmerRidgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return RunYeast(YeastStressTask.Load(dataDirectory), options);
    }

    /// <summary>Fits and evaluates on an already loaded task (see <see cref="RunYeast(string, KmerRidgeOptions?)"/>).</summary>
    public static KmerRidgeBaselineResult RunYeast(YeastStressTask task, KmerRidgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        options ??= new KmerRidgeOptions();
        var sequences = task.Promoters.Select(p => p.Sequence).ToArray();
        var data = task.Dataset;
        var split = task.Split;
        var clock = Stopwatch.StartNew();
        var model = KmerRidge.Fit(sequences, data.Targets, data.Mask, split.Train, split.Validation, options);
        var fitTime = clock.Elapsed;
        var test = split.Test.Select(i => sequences[i]).ToArray();
        var pearson = KmerRidge.PearsonPerTreatment(model.Predict(test), data.Targets, data.Mask, split.Test);
        return new KmerRidgeBaselineResult(
            task.Treatments, pearson, KmerRidge.MeanIgnoringNaN(pearson), model.Lambda,
            model.Selected.MeanValidationPearson, model.FeatureCount,
            split.Train.Length, split.Validation.Length, split.Test.Length, fitTime, model);
    }
}
