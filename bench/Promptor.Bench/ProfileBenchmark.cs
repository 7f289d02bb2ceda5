using System.Diagnostics;
using System.Globalization;
using Promptor.Genomics.Models;
using Promptor.Nn.Optim;
using Promptor.Tensors;
using Promptor.Tensors.Autograd;

namespace Promptor.Bench;

/// <summary>
/// Where a CondPromoter training step spends its time: the default model of the yeast task
/// (batch norm, all 34 treatments at once, B = 64, L = 1000), a few warm-up steps, then
/// <c>steps</c> profiled steps with the per-op table of <see cref="OpProfiler"/> and the optimizer's share.
/// <c>dotnet run -c Release --project bench/Promptor.Bench -- profile [steps=5] [reference=1]</c>
/// (<c>reference=1</c>: the cp_train model of torch_models.py instead).
/// </summary>
public static class ProfileBenchmark
{
    /// <summary>Runs the profile.</summary>
    public static int Run(string[] args)
    {
        var settings = new BenchSettings(args);
        int steps = settings.Int("steps", 5);
        bool reference = settings.Text("reference", "0") == "1";
        const int batch = 64, length = 1000;
        var options = reference ? CondPromoterBenchmark.ReferenceOptions : new CondPromoterOptions { TreatmentCount = 34, SequenceLength = length };
        var rng = new Generator(0);
        var model = new CondPromoter(options, rng);
        var seq = new Tensor(new Shape(batch, length, 4));
        for (int i = 0; i < batch * length; i++)
        {
            seq.Data[i * 4 + rng.NextInt(4)] = 1f;
        }
        var ids = Enumerable.Range(0, batch).Select(_ => rng.NextInt(options.TreatmentCount)).ToArray();
        var target = reference ? Tensor.RandomNormal(rng, new Shape(batch)) : Tensor.RandomNormal(rng, new Shape(batch, options.TreatmentCount));
        model.Train();
        var optimizer = new AdamW(model.Parameters(), learningRate: 1e-3);
        TimeSpan optimizerTime = TimeSpan.Zero;
        void Step()
        {
            optimizer.ZeroGrad();
            OpProfiler.Mark();
            var prediction = reference ? model.ForwardSelected(seq, ids) : model.Forward(seq);
            prediction.MseLoss(target).Backward();
            long start = Stopwatch.GetTimestamp();
            optimizer.Step();
            optimizerTime += Stopwatch.GetElapsedTime(start);
        }
        for (int i = 0; i < 3; i++)
        {
            Step();
        }
        optimizerTime = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        OpProfiler.Start();
        for (int i = 0; i < steps; i++)
        {
            Step();
        }
        var profile = OpProfiler.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {(reference ? "cp_train reference model" : "yeast default model")}: {steps} steps, {clock.Elapsed.TotalMilliseconds / steps:F1} ms/step, optimizer {optimizerTime.TotalMilliseconds / steps:F1} ms/step"));
        Console.Write(profile.ToTable());
        return 0;
    }
}
