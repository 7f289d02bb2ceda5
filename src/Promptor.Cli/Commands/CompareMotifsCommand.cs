using System.CommandLine;
using System.Globalization;
using Promptor.Genomics.IO;
using Promptor.Genomics.Motifs;

namespace Promptor.Cli.Commands;

/// <summary>
/// <c>promptor compare-motifs --query q.meme --target db</c>: Tomtom-style comparison
/// (<see cref="MotifComparer"/>) of every query motif with a database in MEME, JASPAR or TRANSFAC format;
/// writes the matches with q ≤ <c>--max-q</c> as TSV (query_id, target_id, target_name, offset, strand,
/// overlap, score, p, E, q), best first per query.
/// </summary>
public static class CompareMotifsCommand
{
    /// <summary>The columns of the matches table.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["query_id", "target_id", "target_name", "offset", "strand", "overlap", "score", "p", "E", "q"];

    /// <summary>Builds the command; flags map onto <see cref="MotifComparisonOptions"/>.</summary>
    public static Command Create()
    {
        var defaults = new MotifComparisonOptions();
        var query = new Option<string>("--query") { Description = "Query motifs (MEME, JASPAR or TRANSFAC; format recognised from the content)", Required = true };
        var target = new Option<string>("--target") { Description = "Database motifs (MEME, JASPAR or TRANSFAC)", Required = true };
        var metric = new Option<string>("--metric") { Description = "Column similarity: pearson, euclidean or sandelin", DefaultValueFactory = _ => "pearson" };
        var minOverlap = new Option<int>("--min-overlap") { Description = "Minimum aligned columns", DefaultValueFactory = _ => defaults.MinOverlap };
        var maxQ = new Option<double>("--max-q") { Description = "Report matches with q-value at most this", DefaultValueFactory = _ => 0.5 };
        var output = new Option<string?>("--out") { Description = "Output TSV (default: standard output)" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing --out file" };
        var command = new Command("compare-motifs", "Compare motifs with a motif database (Tomtom-style p-, E- and q-values, both strands).")
        {
            query, target, metric, minOverlap, maxQ, output, force,
        };
        CommandErrors.SetAction(command, (parse, stdout, _) =>
        {
            string? outPath = parse.GetValue(output);
            if (outPath is not null)
            {
                CommandErrors.CheckOutputFile(outPath, parse.GetValue(force));
            }
            double threshold = parse.GetValue(maxQ);
            if (!(threshold is >= 0 and <= 1))
            {
                throw new CommandException($"--max-q must lie in [0, 1], got {threshold.ToString(CultureInfo.InvariantCulture)}");
            }
            var options = defaults with { Metric = ParseMetric(parse.GetValue(metric)!), MinOverlap = parse.GetValue(minOverlap) };
            if (options.MinOverlap < 1)
            {
                throw new CommandException($"--min-overlap must be at least 1, got {options.MinOverlap}");
            }
            var queries = MotifFiles.Read(parse.GetValue(query)!);
            var database = MotifFiles.Read(parse.GetValue(target)!);
            var comparer = new MotifComparer(database, options);
            var rows = queries.SelectMany(q => comparer.Compare(q).Where(m => m.QValue <= threshold)).ToList();
            if (outPath is null)
            {
                WriteTable(stdout, rows);
                return 0;
            }
            DataFile.WriteTextAtomic(outPath, w => WriteTable(w, rows));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"compared {queries.Count} quer{(queries.Count == 1 ? "y" : "ies")} with {database.Count} database motifs ({options.Metric}): {rows.Count} matches with q ≤ {threshold} written to {outPath}"));
            return 0;
        });
        return command;
    }

    /// <summary>Maps <c>pearson</c>, <c>euclidean</c> (or <c>ed</c>) and <c>sandelin</c> to a metric.</summary>
    /// <exception cref="CommandException">Any other name.</exception>
    public static ColumnMetric ParseMetric(string name) => name.ToLowerInvariant() switch
    {
        "pearson" => ColumnMetric.Pearson,
        "euclidean" or "ed" => ColumnMetric.Euclidean,
        "sandelin" or "sandelin-wasserman" => ColumnMetric.SandelinWasserman,
        _ => throw new CommandException($"--metric must be pearson, euclidean or sandelin, got '{name}'"),
    };

    private static void WriteTable(TextWriter w, IEnumerable<MotifMatch> rows)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Join('\t', Columns));
        foreach (var m in rows)
        {
            w.WriteLine(string.Join('\t',
                m.QueryId, m.TargetId, m.TargetName.Replace('\t', ' '),
                m.Offset.ToString(c), m.Strand == Strand.Minus ? "-" : "+", m.Overlap.ToString(c),
                m.Score.ToString("0.####", c), m.PValue.ToString("G4", c), m.EValue.ToString("G4", c), m.QValue.ToString("G4", c)));
        }
    }
}
