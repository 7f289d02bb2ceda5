namespace Promptor.Genomics.Chemistry;

/// <summary>
/// One atom of a parsed SMILES. Hydrogens written inside brackets (<c>[NH4+]</c>) are
/// <see cref="BracketHydrogens"/>; atoms of the organic subset get <see cref="ImplicitHydrogens"/> from the
/// valence model once the molecule has been validated.
/// </summary>
public sealed class Atom
{
    internal Atom(int index, int atomicNumber, bool isAromatic, bool isBracket, int position)
    {
        Index = index;
        AtomicNumber = atomicNumber;
        IsAromatic = isAromatic;
        IsBracket = isBracket;
        Position = position;
    }

    /// <summary>Index of the atom in <see cref="Molecule.Atoms"/> (order of appearance in the SMILES, from 0).</summary>
    public int Index { get; }

    /// <summary>Atomic number; 0 for the wildcard <c>*</c>.</summary>
    public int AtomicNumber { get; }

    /// <summary>Element symbol with standard capitalisation (<c>C</c>, <c>Cl</c>, <c>Se</c>, <c>*</c>), also for aromatic atoms.</summary>
    public string Element => Elements.Symbol(AtomicNumber);

    /// <summary>The symbol as SMILES writes it: lowercase for aromatic atoms (<c>c</c>, <c>se</c>).</summary>
    public string Symbol => IsAromatic ? Element.ToLowerInvariant() : Element;

    /// <summary>True for a lowercase (aromatic) atom.</summary>
    public bool IsAromatic { get; }

    /// <summary>True when the atom was written in square brackets (no implicit hydrogens are added to it).</summary>
    public bool IsBracket { get; }

    /// <summary>Character offset of the atom in the SMILES string (from 0).</summary>
    public int Position { get; }

    /// <summary>Mass number written before the symbol (<c>[13C]</c>), or null.</summary>
    public int? Isotope { get; internal set; }

    /// <summary>
    /// Formal charge. The validator normalises a few groups the way RDKit does (neutral 5-valent nitro
    /// N(=O)=O becomes [N+](=O)[O-], perchlorate-like halogens become charge-separated).
    /// </summary>
    public int Charge { get; internal set; }

    /// <summary>Hydrogen count written in brackets (<c>[CH3]</c> → 3, <c>[C]</c> → 0), or null for organic-subset atoms.</summary>
    public int? BracketHydrogens { get; internal set; }

    /// <summary>Implicit hydrogens added by the valence model (0 for bracket atoms; 0 until validated).</summary>
    public int ImplicitHydrogens { get; internal set; }

    /// <summary>All hydrogens attached without being atoms of their own: bracket plus implicit.</summary>
    public int TotalHydrogens => (BracketHydrogens ?? 0) + ImplicitHydrogens;

    /// <summary>The chirality mark as written (<c>@</c>, <c>@@</c>, <c>@TH1</c>, <c>@SP2</c>, …), or null.</summary>
    public string? Chirality { get; internal set; }

    /// <summary>Atom class (<c>[CH3:7]</c> → 7), or null.</summary>
    public int? AtomClass { get; internal set; }

    /// <summary>Marks a bracket hydrogen in <see cref="NeighborOrder"/>.</summary>
    internal const int HydrogenNeighbor = -1;

    /// <summary>
    /// Neighbours in the order the SMILES names them, which chirality marks refer to: the preceding
    /// atom, bracket hydrogens (<see cref="HydrogenNeighbor"/>), ring-closure partners in digit order,
    /// then branches and the chain.
    /// </summary>
    internal List<int> NeighborOrder { get; } = [];

    /// <summary>True when a preceding atom is bonded to this one by the chain (not the first atom of a component).</summary>
    internal bool FollowsAtom { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Charge switch
    {
        0 => Symbol,
        1 => Symbol + "+",
        -1 => Symbol + "-",
        > 0 => Symbol + "+" + Charge,
        _ => Symbol + Charge,
    };
}
