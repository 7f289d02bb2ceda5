namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Validity, uniqueness and novelty of generated SMILES, as in MOSES / GuacaMol:
/// <list type="bullet">
/// <item><b>valid</b> = valid / generated (<see cref="SmilesValidator"/>);</item>
/// <item><b>unique</b> = distinct valid molecules / valid;</item>
/// <item><b>novel</b> = distinct valid molecules not in the training set / distinct valid molecules.</item>
/// </list>
/// Molecules are compared by <see cref="CanonicalSmiles"/> strings, so two spellings of one molecule
/// count once; see its remarks for what it cannot identify (aromatic vs Kekulé spellings, dropped
/// cis/trans and unresolved ring stereo).
/// </summary>
public static class MoleculeMetrics
{
    /// <summary>Computes the metrics of <paramref name="generated"/> against <paramref name="training"/>.</summary>
    /// <param name="generated">Generated SMILES (duplicates and invalid strings included).</param>
    /// <param name="training">Training SMILES, or null to skip novelty (then <see cref="MoleculeMetricsResult.Novel"/> is 0).</param>
    public static MoleculeMetricsResult Compute(IEnumerable<string> generated, IEnumerable<string>? training = null)
    {
        ArgumentNullException.ThrowIfNull(generated);
        return Compute(generated, training is null ? null : CanonicalSet(training));
    }

    /// <summary>Computes the metrics against a training set already canonicalised by <see cref="CanonicalSet"/> (reuse it across calls).</summary>
    public static MoleculeMetricsResult Compute(IEnumerable<string> generated, IReadOnlySet<string>? trainingCanonical)
    {
        ArgumentNullException.ThrowIfNull(generated);
        int count = 0, valid = 0;
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (string smiles in generated)
        {
            count++;
            string? canonical = CanonicalSmiles.Canonicalize(smiles);
            if (canonical is not null)
            {
                valid++;
                unique.Add(canonical);
            }
        }
        int novel = trainingCanonical is null ? 0 : unique.Count(c => !trainingCanonical.Contains(c));
        return new MoleculeMetricsResult(count, valid, unique.Count, novel, trainingCanonical is not null);
    }

    /// <summary>Canonical strings of the valid SMILES in <paramref name="smiles"/> (invalid ones are skipped).</summary>
    public static HashSet<string> CanonicalSet(IEnumerable<string> smiles)
    {
        ArgumentNullException.ThrowIfNull(smiles);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string s in smiles)
        {
            if (CanonicalSmiles.Canonicalize(s) is string c)
            {
                set.Add(c);
            }
        }
        return set;
    }
}
