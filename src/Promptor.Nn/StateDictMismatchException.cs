namespace Promptor.Nn;

/// <summary>
/// A state dict does not fit a module: tensor shapes differ, or (in a strict load) names are
/// missing or unexpected. The message lists the offending names; the properties hold all of them.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception for <paramref name="moduleName"/> with the offending names.</summary>
    public StateDictMismatchException(string moduleName, IReadOnlyList<string> missingKeys,
        IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
        : base(Describe(moduleName, missingKeys, unexpectedKeys, shapeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Names the module has but the dict lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Names the dict has but the module lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>One line per name whose shapes differ: <c>"fc1.weight: checkpoint (8, 16), module (16, 8)"</c>.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string Describe(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        var parts = new List<string>();
        if (mismatched.Count > 0)
        {
            parts.Add($"shape mismatch for {List(mismatched)}");
        }
        if (missing.Count > 0)
        {
            parts.Add($"missing keys {List(missing)}");
        }
        if (unexpected.Count > 0)
        {
            parts.Add($"unexpected keys {List(unexpected)}");
        }
        return $"State dict does not fit {moduleName}: {string.Join("; ", parts)}.";

        static string List(IReadOnlyList<string> items)
        {
            const int Shown = 10;
            var head = string.Join(", ", items.Take(Shown).Select(s => $"'{s}'"));
            return items.Count > Shown ? $"{head} and {items.Count - Shown} more" : head;
        }
    }
}
