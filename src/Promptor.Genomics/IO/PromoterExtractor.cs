using Promptor.Genomics.Dna;

namespace Promptor.Genomics.IO;

/// <summary>
/// Cuts promoter windows out of a genome, strand-aware, relative to each feature's 5' end.
/// On <c>+</c>: <c>genome[start - upstream, start + downstream)</c>; on <c>-</c>: the reverse complement
/// of <c>genome[end - downstream, end + upstream)</c>. Windows are clipped at chromosome ends with a
/// warning; unstranded features are taken as <c>+</c> with a warning. Chromosome names are looked up
/// directly, then through an alias map (e.g. BED <c>chrM</c> → genome <c>chrMito</c>).
/// </summary>
public sealed class PromoterExtractor
{
    // Declared before the alias map that is built from it (static initialisers run in text order).
    internal static readonly string[] YeastRomanNumerals =
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI"];

    private readonly IReadOnlyDictionary<string, string> genome;
    private readonly IReadOnlyDictionary<string, string> aliases;

    /// <summary>
    /// Aliases for the yeast genome as named in the bundled R64 FASTA (<c>chrI</c> … <c>chrXVI</c>,
    /// <c>chrMito</c>): <c>chrM</c>, <c>chrMT</c>, <c>MT</c>, <c>Mito</c> → <c>chrMito</c>, and the bare
    /// Roman numerals <c>I</c> … <c>XVI</c> → <c>chrI</c> … <c>chrXVI</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> YeastChromosomeAliases { get; } = BuildYeastAliases();

    /// <summary>Creates an extractor over <paramref name="genome"/> (chromosome name → sequence, e.g. from <see cref="FastaReader.ReadDictionary"/>).</summary>
    /// <param name="genome">Chromosome sequences (any case; output keeps the genome's case).</param>
    /// <param name="chromosomeAliases">BED name → genome name, consulted when a BED name is not in the genome; default none.</param>
    public PromoterExtractor(IReadOnlyDictionary<string, string> genome, IReadOnlyDictionary<string, string>? chromosomeAliases = null)
    {
        ArgumentNullException.ThrowIfNull(genome);
        this.genome = genome;
        aliases = chromosomeAliases ?? new Dictionary<string, string>();
    }

    /// <summary>
    /// Extracts one window per feature.
    /// </summary>
    /// <param name="features">The features (e.g. from <see cref="BedReader"/>).</param>
    /// <param name="window">Upstream/downstream lengths.</param>
    /// <param name="sourceName">The BED file's name for messages.</param>
    /// <param name="idSelector">The record id of a feature; default: its BED name, or <c>chrom:start-end(strand)</c> when it has none.</param>
    /// <exception cref="DataFormatException">A feature on a chromosome the genome lacks (naming the BED line), or a feature beyond its chromosome's end.</exception>
    public PromoterExtraction Extract(IReadOnlyList<BedRecord> features, PromoterWindow window, string sourceName = "features", Func<BedRecord, string>? idSelector = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfNegative(window.Upstream);
        ArgumentOutOfRangeException.ThrowIfNegative(window.Downstream);
        if (window.Length == 0)
        {
            throw new ArgumentException("The window is empty (Upstream + Downstream = 0).", nameof(window));
        }
        var promoters = new List<FastaRecord>(features.Count);
        var warnings = new List<string>();
        foreach (var f in features)
        {
            string where = $"{sourceName}:{f.LineNumber}";
            string chromName = ResolveChromosome(f, sourceName);
            string chrom = genome[chromName];
            if (f.End > chrom.Length)
            {
                throw new DataFormatException(sourceName, f.LineNumber, $"chromEnd {f.End} is beyond the end of {chromName} ({chrom.Length} bp)", "chromEnd");
            }
            string id = idSelector?.Invoke(f) ?? f.Name ?? $"{f.Chrom}:{f.Start}-{f.End}({StrandSymbol(f.Strand)})";
            if (f.Strand == Strand.None)
            {
                warnings.Add($"{where}: feature '{id}' has no strand; taken as '+'");
            }
            bool minus = f.Strand == Strand.Minus;
            long lo = minus ? (long)f.End - window.Downstream : (long)f.Start - window.Upstream;
            long hi = minus ? (long)f.End + window.Upstream : (long)f.Start + window.Downstream;
            long clippedLo = Math.Max(lo, 0), clippedHi = Math.Min(hi, chrom.Length);
            if (clippedHi <= clippedLo)
            {
                warnings.Add($"{where}: window of '{id}' lies outside {chromName}; skipped");
                continue;
            }
            if (clippedLo != lo || clippedHi != hi)
            {
                warnings.Add($"{where}: window of '{id}' clipped to {clippedHi - clippedLo} of {window.Length} bp at the {(clippedLo != lo ? "start" : "end")} of {chromName}");
            }
            string seq = chrom.Substring((int)clippedLo, (int)(clippedHi - clippedLo));
            if (minus)
            {
                seq = ReverseComplement.Of(seq);
            }
            string description = $"loc={f.Chrom}:{clippedLo + 1}-{clippedHi}({(minus ? '-' : '+')}) len={seq.Length}";
            promoters.Add(new FastaRecord(id, description, seq));
        }
        return new PromoterExtraction(promoters, warnings);
    }

    private string ResolveChromosome(BedRecord f, string sourceName)
    {
        if (genome.ContainsKey(f.Chrom))
        {
            return f.Chrom;
        }
        if (aliases.TryGetValue(f.Chrom, out var alias) && genome.ContainsKey(alias))
        {
            return alias;
        }
        string known = string.Join(", ", genome.Keys.Take(20)) + (genome.Count > 20 ? ", …" : "");
        throw new DataFormatException(sourceName, f.LineNumber, $"unknown chromosome '{f.Chrom}' in column 'chrom' (genome has {known})", "chrom");
    }

    private static char StrandSymbol(Strand s) => s switch
    {
        Strand.Plus => '+',
        Strand.Minus => '-',
        _ => '.',
    };

    private static Dictionary<string, string> BuildYeastAliases()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["chrM"] = "chrMito",
            ["chrMT"] = "chrMito",
            ["MT"] = "chrMito",
            ["Mito"] = "chrMito",
            ["M"] = "chrMito",
        };
        foreach (var roman in YeastRomanNumerals)
        {
            map[roman] = "chr" + roman;
        }
        return map;
    }
}
