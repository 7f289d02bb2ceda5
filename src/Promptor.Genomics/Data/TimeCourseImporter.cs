using System.Globalization;
using System.Text.RegularExpressions;
using Promptor.Genomics.IO;

namespace Promptor.Genomics.Data;

/// <summary>
/// Imports a Causton-style time-course file (Causton et al. 2001): tab-separated, first column the
/// gene id, optionally a <c>Gene</c> (common name) column, then one column per sample named
/// <c>&lt;course&gt; &lt;minutes&gt;'</c> (optionally followed by a replicate tag such as <c>(A)</c>), each
/// optionally followed by a present/absent call column whose header starts with <c>Call</c> (ignored).
/// A sample header that is only a time (e.g. <c>30'</c>) belongs to the course of the preceding
/// sample and is named <c>&lt;course&gt; 30'</c>. The 0' samples are the references of their course;
/// the target of every other sample is
/// <c>log2(max(x_t, floor) / max(mean of the course's observed 0' samples, floor))</c>.
/// Genes whose observed values are all ≤ <see cref="TimeCourseOptions.MinimumExpression"/> are dropped;
/// missing values are masked.
/// </summary>
public static partial class TimeCourseImporter
{
    [GeneratedRegex(@"^(?<course>.*?)\s*(?<minutes>\d+(?:\.\d+)?)\s*(?:'|min\b)\s*(?<tag>\(.*\))?$")]
    private static partial Regex SampleName();

    /// <summary>Imports the file at <paramref name="path"/> (plain or gzip).</summary>
    public static TimeCourseData Import(string path, TimeCourseOptions? options = null)
    {
        using var reader = DataFile.OpenText(path);
        return Import(reader, path, options);
    }

    /// <summary>Imports from <paramref name="reader"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static TimeCourseData Import(TextReader reader, string sourceName, TimeCourseOptions? options = null)
    {
        options ??= new TimeCourseOptions();
        using var file = DelimitedFile.Open(reader, sourceName, '\t');
        string[] header = file.Header;
        int nameColumn = header.Length > 1 && string.Equals(header[1], "Gene", StringComparison.OrdinalIgnoreCase) ? 1 : -1;
        var (samples, callColumns) = ParseHeader(file, nameColumn < 0 ? 1 : 2);
        if (samples.Count == 0)
        {
            throw new DataFormatException(sourceName, file.HeaderLine, "no sample columns in the header", "header");
        }
        foreach (var course in samples.GroupBy(s => s.Course))
        {
            if (!course.Any(s => s.IsReference))
            {
                throw new DataFormatException(sourceName, file.HeaderLine, $"course '{course.Key}' has no 0' reference sample", course.First().Name);
            }
        }

        var genes = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineOfGene = new Dictionary<string, int>(StringComparer.Ordinal);
        var raw = new List<float>();
        List<string>? row;
        while ((row = file.NextRow()) is not null)
        {
            string gene = row[0].Trim();
            if (gene.Length == 0)
            {
                throw new DataFormatException(sourceName, file.LineNumber, $"empty gene id in column '{header[0]}'", header[0]);
            }
            if (!lineOfGene.TryAdd(gene, file.LineNumber))
            {
                throw new DataFormatException(sourceName, file.LineNumber, $"duplicate gene '{gene}' in column '{header[0]}' (first on line {lineOfGene[gene]})", header[0]);
            }
            genes.Add(gene);
            if (nameColumn >= 0)
            {
                names[gene] = row[nameColumn].Trim();
            }
            foreach (var s in samples)
            {
                raw.Add(file.ParseValue(row[s.Column], s.Name));
            }
            foreach (int c in callColumns)
            {
                string call = row[c].Trim();
                if (call is not ("" or "0" or "1" or "P" or "A" or "M"))
                {
                    throw new DataFormatException(sourceName, file.LineNumber, $"call '{call}' in column '{header[c]}' is not 1/0 (P/A)", header[c]);
                }
            }
        }
        if (genes.Count == 0)
        {
            throw new DataFormatException(sourceName, file.HeaderLine, "no data rows after the header", "row");
        }
        return Compute(samples, genes, names, raw.ToArray(), options);
    }

    private static (List<TimeCourseSample> Samples, List<int> CallColumns) ParseHeader(DelimitedFile file, int firstSampleColumn)
    {
        var samples = new List<TimeCourseSample>();
        var calls = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? course = null;
        for (int i = firstSampleColumn; i < file.Header.Length; i++)
        {
            string h = file.Header[i];
            if (h.StartsWith("Call", StringComparison.OrdinalIgnoreCase))
            {
                calls.Add(i);
                continue;
            }
            var m = SampleName().Match(h);
            if (!m.Success)
            {
                throw new DataFormatException(file.SourceName, file.HeaderLine, $"column {i + 1} header '{h}' is not a sample name like \"Heat 15'\"", h);
            }
            string name = h;
            string c = m.Groups["course"].Value.Trim();
            if (c.Length == 0)
            {
                // A bare time such as 30' continues the preceding course.
                c = course ?? throw new DataFormatException(file.SourceName, file.HeaderLine, $"column {i + 1} header '{h}' has no course name and follows no named sample", h);
                name = $"{c} {h}";
            }
            course = c;
            if (!seen.Add(name))
            {
                throw new DataFormatException(file.SourceName, file.HeaderLine, $"duplicate sample '{name}' in the header", name);
            }
            double minutes = double.Parse(m.Groups["minutes"].Value, CultureInfo.InvariantCulture);
            samples.Add(new TimeCourseSample(name, c, minutes, minutes == 0, i));
        }
        return (samples, calls);
    }

    private static TimeCourseData Compute(List<TimeCourseSample> samples, List<string> genes, Dictionary<string, string> names, float[] raw, TimeCourseOptions options)
    {
        int s = samples.Count;
        var kept = new List<int>();
        var dropped = new List<string>();
        for (int g = 0; g < genes.Count; g++)
        {
            bool expressed = false;
            for (int j = 0; j < s; j++)
            {
                float v = raw[g * s + j];
                if (!float.IsNaN(v) && v > options.MinimumExpression)
                {
                    expressed = true;
                    break;
                }
            }
            if (expressed)
            {
                kept.Add(g);
            }
            else
            {
                dropped.Add(genes[g]);
            }
        }

        var treatments = samples.Where(x => !x.IsReference).ToArray();
        // Column (within a row of all samples) of each treatment and of its course's references.
        var column = treatments.Select(x => samples.IndexOf(x)).ToArray();
        var referenceColumns = treatments
            .Select(x => Enumerable.Range(0, s).Where(j => samples[j].IsReference && samples[j].Course == x.Course).ToArray())
            .ToArray();

        int t = treatments.Length;
        var targets = new float[kept.Count * t];
        var keptRaw = new float[kept.Count * s];
        double floor = options.Floor;
        for (int k = 0; k < kept.Count; k++)
        {
            var row = raw.AsSpan(kept[k] * s, s);
            row.CopyTo(keptRaw.AsSpan(k * s, s));
            for (int j = 0; j < t; j++)
            {
                float x = row[column[j]];
                double refSum = 0;
                int refCount = 0;
                foreach (int r in referenceColumns[j])
                {
                    if (!float.IsNaN(row[r]))
                    {
                        refSum += row[r];
                        refCount++;
                    }
                }
                targets[k * t + j] = float.IsNaN(x) || refCount == 0
                    ? float.NaN
                    : (float)Math.Log2(Math.Max(x, floor) / Math.Max(refSum / refCount, floor));
            }
        }
        var keptGenes = kept.Select(g => genes[g]).ToArray();
        var rawTable = new ExpressionTable(keptGenes, samples.Select(x => x.Name).ToArray(), keptRaw);
        var targetTable = new ExpressionTable(keptGenes, treatments.Select(x => x.Name).ToArray(), targets);
        return new TimeCourseData(samples, rawTable, targetTable, names, genes.Count, dropped);
    }
}
