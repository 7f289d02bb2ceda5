using System.Globalization;
using System.Text;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Motifs;

/// <summary>
/// The top motifs per treatment: for each treatment, seqlets from its importance tracks
/// (<see cref="SeqletExtractor"/>), clustered into PWMs (<see cref="SeqletClusterer"/>), ranked by their
/// enrichment in the seqlets over low-importance windows (<see cref="SeqletEnrichment"/>; or by size, see
/// <see cref="MotifReportOptions.Ranking"/>), the first <see cref="MotifReportOptions.TopMotifs"/> kept and
/// each compared with a motif database
/// (<see cref="MotifComparer"/>). Written as <c>top_motifs.tsv</c> (columns treatment, rank, motif_id,
/// consensus, seqlets, best_match_id, best_match_name, p, q) and <c>motifs.meme</c> (the discovered PWMs).
/// </summary>
public sealed class MotifReport
{
    /// <summary>The table's file name.</summary>
    public const string TableFileName = "top_motifs.tsv";

    /// <summary>The PWM file's name.</summary>
    public const string MemeFileName = "motifs.meme";

    /// <summary>The table's columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["treatment", "rank", "motif_id", "consensus", "seqlets", "best_match_id", "best_match_name", "p", "q"];

    /// <summary>The files <see cref="Write"/> creates.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TableFileName, MemeFileName];

    private MotifReport(IReadOnlyList<DiscoveredMotif> motifs) => Motifs = motifs;

    /// <summary>The discovered motifs, by treatment (input order) then rank.</summary>
    public IReadOnlyList<DiscoveredMotif> Motifs { get; }

    /// <summary>Builds the report.</summary>
    /// <param name="sequences">The sequences, by gene id.</param>
    /// <param name="tracks">Importance tracks; each gene must be in <paramref name="sequences"/> with a track of the same length.</param>
    /// <param name="database">Motifs to match against, or null for no matching.</param>
    /// <param name="options">Settings; default <see cref="MotifReportOptions"/>.</param>
    /// <param name="treatments">Treatments to report, in this order; default every treatment of the tracks in order of appearance.</param>
    /// <exception cref="ArgumentException">A treatment without tracks, a gene without a sequence, or a track of the wrong length.</exception>
    public static MotifReport Build(IReadOnlyDictionary<string, string> sequences, IReadOnlyList<ImportanceTrack> tracks,
        IReadOnlyList<Motif>? database, MotifReportOptions? options = null, IReadOnlyList<string>? treatments = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(tracks);
        options ??= new MotifReportOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.TopMotifs);
        var known = tracks.Select(t => t.Treatment).Distinct(StringComparer.Ordinal).ToList();
        var chosen = treatments ?? known;
        foreach (var t in chosen)
        {
            if (!known.Contains(t, StringComparer.Ordinal))
            {
                throw new ArgumentException($"unknown treatment '{t}' (the tracks have: {string.Join(", ", known)})");
            }
        }
        var comparer = database is null ? null : new MotifComparer(database, options.Comparison);
        var result = new List<DiscoveredMotif>();
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var treatment in chosen)
        {
            var rows = tracks.Where(t => t.Treatment == treatment).ToList();
            var seqs = new List<string>(rows.Count);
            foreach (var row in rows)
            {
                if (!sequences.TryGetValue(row.Gene, out var s))
                {
                    throw new ArgumentException($"gene '{row.Gene}' of the tracks has no sequence");
                }
                if (s.Length != row.Values.Length)
                {
                    throw new ArgumentException($"gene '{row.Gene}': the track under '{treatment}' has {row.Values.Length} values but the sequence has {s.Length} bases");
                }
                seqs.Add(s);
            }
            var values = rows.Select(r => r.Values).ToList();
            var seqlets = SeqletExtractor.Extract(seqs, values, options.Seqlets);
            string prefix = UniquePrefix(treatment, usedIds);
            var clusters = SeqletClusterer.Cluster(seqlets, options.Seqlets.Flank, options.Seqlets.WindowWidth, options.Clustering, prefix + "_m");
            var ranked = Rank(clusters, seqs, values, seqlets, options);
            foreach (var ((cluster, enrichment), index) in ranked.Take(options.TopMotifs).Select((c, i) => (c, i)))
            {
                var motif = cluster.Motif.WithId($"{prefix}_m{index + 1}", treatment);
                usedIds.Add(motif.Id);
                var best = comparer?.Compare(motif)[0];
                result.Add(new DiscoveredMotif(treatment, index + 1, motif, cluster.SeqletCount, best) { Enrichment = enrichment });
            }
        }
        return new MotifReport(result);
    }

    /// <summary>
    /// The clusters with their enrichment over control windows, in the order of
    /// <see cref="MotifReportOptions.Ranking"/> (stable: equal keys keep the clusterer's size order).
    /// </summary>
    private static List<(SeqletCluster Cluster, MotifEnrichment? Enrichment)> Rank(IReadOnlyList<SeqletCluster> clusters,
        List<string> sequences, List<float[]> tracks, IReadOnlyList<Seqlet> seqlets, MotifReportOptions options)
    {
        if (clusters.Count == 0)
        {
            return [];
        }
        var controls = SeqletExtractor.ControlWindows(sequences, tracks, options.Seqlets);
        if (controls.Count == 0)
        {
            return clusters.Select(c => (c, (MotifEnrichment?)null)).ToList();
        }
        var background = SeqletEnrichment.BaseFrequencies(sequences);
        var encoded = new Dictionary<Seqlet, float[]>(ReferenceEqualityComparer.Instance);
        foreach (var s in seqlets)
        {
            encoded[s] = SeqletExtractor.OneHot(s.Bases);
        }
        var all = seqlets.Select(s => encoded[s]).ToArray();
        var controlWindows = controls.Select(SeqletExtractor.OneHot).ToArray();
        var measured = clusters
            .Select(c => (Cluster: c, Enrichment: (MotifEnrichment?)SeqletEnrichment.Measure(
                c.Motif, c.Members.Select(m => encoded[m.Seqlet]).ToArray(), all, controlWindows, background)))
            .ToList();
        return options.Ranking == MotifRanking.Enrichment
            ? measured.OrderByDescending(x => x.Enrichment!.Z).ToList()
            : measured;
    }

    /// <summary>
    /// Writes <c>top_motifs.tsv</c> and <c>motifs.meme</c> into <paramref name="directory"/> (created),
    /// each atomically. Without a database the match columns are empty.
    /// </summary>
    public void Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        MemeWriter.Write(Path.Combine(directory, MemeFileName), Motifs.Select(m => m.Motif));
        DataFile.WriteTextAtomic(Path.Combine(directory, TableFileName), WriteTable);
    }

    /// <summary>Writes the table (header and one row per motif) to <paramref name="writer"/>.</summary>
    public void WriteTable(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join('\t', Columns));
        foreach (var m in Motifs)
        {
            var b = m.BestMatch;
            writer.WriteLine(string.Join('\t',
                Clean(m.Treatment),
                m.Rank.ToString(CultureInfo.InvariantCulture),
                m.Motif.Id,
                m.Motif.Consensus(),
                m.SeqletCount.ToString(CultureInfo.InvariantCulture),
                b is null ? "" : Clean(b.TargetId),
                b is null ? "" : Clean(b.TargetName),
                b is null ? "" : b.PValue.ToString("G4", CultureInfo.InvariantCulture),
                b is null ? "" : b.QValue.ToString("G4", CultureInfo.InvariantCulture)));
        }
    }

    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>A motif-id prefix from the treatment: letters, digits, '.', '-' and '_' kept, others '_'; made unique.</summary>
    private static string UniquePrefix(string treatment, HashSet<string> usedIds)
    {
        var sb = new StringBuilder();
        foreach (char c in treatment)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }
        string prefix = sb.ToString();
        string candidate = prefix;
        for (int k = 2; usedIds.Any(id => id.StartsWith(candidate + "_m", StringComparison.Ordinal)); k++)
        {
            candidate = $"{prefix}{k}";
        }
        return candidate;
    }
}
