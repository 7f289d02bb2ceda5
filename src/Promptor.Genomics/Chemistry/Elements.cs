namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Element data for the valence model (RDKit's periodic table, see <c>ElementData.cs</c>): symbols,
/// outer-shell electrons, allowed valences, and RDKit's "early atom" flag (elements left of carbon,
/// for which a positive charge removes a bond instead of adding one).
/// </summary>
internal static partial class Elements
{
    private static readonly Dictionary<string, int> s_bySymbol = BuildSymbolIndex();

    // RDKit Atom.cpp isEarlyAtom: atomic numbers treated as lying left of carbon.
    private static readonly HashSet<int> s_early =
    [
        3, 4, 5, 11, 12, 13, 19, 20, 21, 22, 30, 31, 32, 37, 38, 39, 40, 41, 48, 49, 50, 51,
        55, 56, 57, 58, 59, 60, 61, 72, 73, 80, 81, 82, 83, 87, 88, 89, 90, 91, 92, 93,
        104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118,
    ];

    private static Dictionary<string, int> BuildSymbolIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int z = 1; z < s_data.Length; z++)
        {
            index[s_data[z].Symbol] = z;
        }
        return index;
    }

    /// <summary>Largest atomic number known.</summary>
    public static int MaxAtomicNumber => s_data.Length - 1;

    /// <summary>The atomic number of an element symbol with standard capitalisation, or -1.</summary>
    public static int AtomicNumber(string symbol) => s_bySymbol.TryGetValue(symbol, out int z) ? z : -1;

    /// <summary>The symbol of atomic number <paramref name="z"/> (0 gives <c>*</c>).</summary>
    public static string Symbol(int z) => s_data[z].Symbol;

    /// <summary>Number of outer-shell electrons.</summary>
    public static int OuterElectrons(int z) => s_data[z].OuterElectrons;

    /// <summary>Allowed valences, ascending; a trailing -1 means any higher valence.</summary>
    public static int[] Valences(int z) => s_data[z].Valences;

    /// <summary>The default (lowest) valence, or -1 when the element has none (transition metals).</summary>
    public static int DefaultValence(int z) => s_data[z].Valences[0];

    /// <summary>True for elements RDKit places left of carbon.</summary>
    public static bool IsEarly(int z) => s_early.Contains(z);
}
