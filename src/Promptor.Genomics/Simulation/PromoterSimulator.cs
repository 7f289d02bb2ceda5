using Promptor.Genomics.Data;
using Promptor.Genomics.Dna;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;
using Promptor.Tensors;

namespace Promptor.Genomics.Simulation;

/// <summary>
/// Simulates promoters with planted motifs and treatment-specific responses, with known ground truth.
/// Each sequence is i.i.d. background of the chosen GC content; each motif is planted a Poisson number
/// of times at random non-overlapping positions on a random strand, each instance drawn from its PWM.
/// The response of a sequence under treatment <c>t</c> is
/// <c>Σ_sites effect[t, motif(site)] + Σ_{(a, b) of t} interaction · [has a ∧ has b] + noise</c>,
/// with Gaussian noise. Background letters that happen to match a motif do not count: only planted
/// sites act. Fully determined by <see cref="SimulationOptions.Seed"/>.
/// </summary>
public static class PromoterSimulator
{
    /// <summary>Runs the simulation.</summary>
    /// <exception cref="ArgumentException">Inconsistent options (e.g. a treatment naming an unknown motif, a motif longer than the sequences).</exception>
    public static SimulatedData Simulate(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var motifs = options.Motifs ?? BuiltInMotifs.All;
        Validate(options, motifs);
        var generator = new Generator(options.Seed);
        var treatments = options.Treatments ?? RandomTreatments(generator, options, motifs);
        ValidateTreatments(treatments, motifs);

        int n = options.SequenceCount, l = options.SequenceLength, k = treatments.Count;
        int digits = Math.Max(5, n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var records = new FastaRecord[n];
        var sites = new List<PlantedSite>();
        var active = new List<ActiveSite>();
        var noisy = new float[n * k];
        var clean = new float[n * k];
        var ids = new string[n];
        var seq = new char[l];
        var occupied = new bool[l];
        for (int i = 0; i < n; i++)
        {
            string id = options.IdPrefix + (i + 1).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);
            ids[i] = id;
            FillBackground(generator, seq, options.GcContent);
            Array.Clear(occupied);
            var geneSites = new List<PlantedSite>();
            foreach (var motif in motifs)
            {
                int copies = Poisson(generator, options.SitesPerMotif);
                for (int c = 0; c < copies; c++)
                {
                    var site = TryPlant(generator, motif, id, seq, occupied);
                    if (site is not null)
                    {
                        geneSites.Add(site);
                    }
                }
            }
            geneSites.Sort((a, b) => a.Start.CompareTo(b.Start));
            sites.AddRange(geneSites);
            records[i] = new FastaRecord(id, $"sites={geneSites.Count}", new string(seq));

            var present = geneSites.Select(s => s.MotifId).ToHashSet(StringComparer.Ordinal);
            for (int t = 0; t < k; t++)
            {
                var spec = treatments[t];
                double y = 0;
                foreach (var s in geneSites)
                {
                    y += spec.EffectOf(s.MotifId);
                }
                foreach (var term in spec.InteractionTerms)
                {
                    if (present.Contains(term.MotifA) && present.Contains(term.MotifB))
                    {
                        y += term.Effect;
                    }
                }
                clean[i * k + t] = (float)y;
                noisy[i * k + t] = (float)(y + options.NoiseStd * generator.NextNormal());
                foreach (var s in geneSites)
                {
                    float effect = spec.EffectOf(s.MotifId);
                    float interaction = 0f;
                    foreach (var term in spec.InteractionTerms)
                    {
                        if ((term.MotifA == s.MotifId || term.MotifB == s.MotifId) && present.Contains(term.MotifA) && present.Contains(term.MotifB))
                        {
                            interaction += term.Effect;
                        }
                    }
                    if (effect != 0f || interaction != 0f)
                    {
                        active.Add(new ActiveSite(id, spec.Name, s.MotifId, s.Start, s.End, s.Strand, effect, interaction));
                    }
                }
            }
        }
        var names = treatments.Select(t => t.Name).ToArray();
        return new SimulatedData(records, new ExpressionTable(ids, names, noisy), new ExpressionTable(ids, names, clean), sites, active, treatments, motifs);
    }

    private static PlantedSite? TryPlant(Generator generator, Motif motif, string id, char[] seq, bool[] occupied)
    {
        int w = motif.Width;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int start = generator.NextInt(seq.Length - w + 1);
            if (Array.IndexOf(occupied, true, start, w) >= 0)
            {
                continue;
            }
            string instance = motif.Sample(generator);
            bool minus = generator.NextUInt64() >> 63 != 0;
            if (minus)
            {
                instance = ReverseComplement.Of(instance);
            }
            instance.CopyTo(0, seq, start, w);
            Array.Fill(occupied, true, start, w);
            return new PlantedSite(id, motif.Id, start, start + w, minus ? Strand.Minus : Strand.Plus, instance);
        }
        return null; // no free room: the site is dropped (rare unless the sequence is crowded)
    }

    private static void FillBackground(Generator generator, char[] seq, double gc)
    {
        for (int j = 0; j < seq.Length; j++)
        {
            double u = generator.NextDouble();
            seq[j] = u < gc
                ? (u < gc / 2 ? 'C' : 'G')
                : (u < gc + (1 - gc) / 2 ? 'A' : 'T');
        }
    }

    private static int Poisson(Generator generator, double rate)
    {
        if (rate <= 0)
        {
            return 0;
        }
        // Knuth's multiplication method; rates here are small.
        double limit = Math.Exp(-rate), p = 1;
        int count = -1;
        do
        {
            count++;
            p *= generator.NextDouble();
        }
        while (p > limit);
        return count;
    }

    private static List<TreatmentSpec> RandomTreatments(Generator generator, SimulationOptions options, IReadOnlyList<Motif> motifs)
    {
        var result = new List<TreatmentSpec>(options.TreatmentCount);
        for (int t = 0; t < options.TreatmentCount; t++)
        {
            var order = Enumerable.Range(0, motifs.Count).ToArray();
            generator.Shuffle<int>(order);
            var effects = new Dictionary<string, float>(StringComparer.Ordinal);
            for (int a = 0; a < options.ActiveMotifsPerTreatment; a++)
            {
                effects[motifs[order[a]].Id] = RandomEffect(generator, options);
            }
            var interactions = new List<MotifInteraction>();
            int pool = options.ActiveMotifsPerTreatment >= 2 ? options.ActiveMotifsPerTreatment : motifs.Count;
            for (int j = 0; j < options.InteractionsPerTreatment; j++)
            {
                int a = generator.NextInt(pool), b = generator.NextInt(pool - 1);
                if (b >= a)
                {
                    b++;
                }
                interactions.Add(new MotifInteraction(motifs[order[a]].Id, motifs[order[b]].Id, RandomEffect(generator, options)));
            }
            result.Add(new TreatmentSpec($"T{t + 1}", effects, interactions));
        }
        return result;
    }

    private static float RandomEffect(Generator generator, SimulationOptions options)
    {
        float magnitude = options.EffectMin + (options.EffectMax - options.EffectMin) * generator.NextSingle();
        return generator.NextDouble() < options.RepressionFraction ? -magnitude : magnitude;
    }

    private static void Validate(SimulationOptions o, IReadOnlyList<Motif> motifs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.SequenceCount, nameof(o.SequenceCount));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.SequenceLength, nameof(o.SequenceLength));
        if (o.GcContent is < 0 or > 1 || double.IsNaN(o.GcContent))
        {
            throw new ArgumentException($"GcContent must lie in [0, 1], got {o.GcContent}.");
        }
        if (o.SitesPerMotif < 0 || !double.IsFinite(o.SitesPerMotif) || o.SitesPerMotif > 50)
        {
            throw new ArgumentException($"SitesPerMotif must lie in [0, 50], got {o.SitesPerMotif}.");
        }
        if (o.NoiseStd < 0 || !float.IsFinite(o.NoiseStd))
        {
            throw new ArgumentException($"NoiseStd must be finite and non-negative, got {o.NoiseStd}.");
        }
        if (motifs.Count == 0)
        {
            throw new ArgumentException("The motif pool is empty.");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in motifs)
        {
            if (!ids.Add(m.Id))
            {
                throw new ArgumentException($"Duplicate motif id '{m.Id}' in the pool.");
            }
            if (m.Width > o.SequenceLength)
            {
                throw new ArgumentException($"Motif '{m.Id}' (width {m.Width}) is longer than the sequences ({o.SequenceLength}).");
            }
        }
        if (o.Treatments is null)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(o.TreatmentCount, nameof(o.TreatmentCount));
            if (o.ActiveMotifsPerTreatment < 0 || o.ActiveMotifsPerTreatment > motifs.Count)
            {
                throw new ArgumentException($"ActiveMotifsPerTreatment must lie in [0, {motifs.Count}], got {o.ActiveMotifsPerTreatment}.");
            }
            if (o.InteractionsPerTreatment < 0 || (o.InteractionsPerTreatment > 0 && motifs.Count < 2))
            {
                throw new ArgumentException("Interactions need a non-negative count and at least two motifs.");
            }
            if (!(o.EffectMin >= 0 && o.EffectMax >= o.EffectMin && float.IsFinite(o.EffectMax)))
            {
                throw new ArgumentException($"Need 0 ≤ EffectMin ≤ EffectMax, got {o.EffectMin} and {o.EffectMax}.");
            }
        }
    }

    private static void ValidateTreatments(IReadOnlyList<TreatmentSpec> treatments, IReadOnlyList<Motif> motifs)
    {
        if (treatments.Count == 0)
        {
            throw new ArgumentException("No treatments.");
        }
        var ids = motifs.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in treatments)
        {
            if (string.IsNullOrWhiteSpace(t.Name) || !names.Add(t.Name))
            {
                throw new ArgumentException($"Treatment names must be non-empty and unique ('{t.Name}').");
            }
            foreach (var (motif, effect) in t.MotifEffects)
            {
                if (!ids.Contains(motif) || !float.IsFinite(effect))
                {
                    throw new ArgumentException($"Treatment '{t.Name}': unknown motif '{motif}' or non-finite effect.");
                }
            }
            foreach (var term in t.InteractionTerms)
            {
                if (!ids.Contains(term.MotifA) || !ids.Contains(term.MotifB) || term.MotifA == term.MotifB || !float.IsFinite(term.Effect))
                {
                    throw new ArgumentException($"Treatment '{t.Name}': bad interaction {term.MotifA} × {term.MotifB}.");
                }
            }
        }
    }
}
