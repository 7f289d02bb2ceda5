namespace Promptor.Genomics.Chemistry;

/// <summary>One bond of a parsed SMILES, between <see cref="Begin"/> and <see cref="End"/> (atom indices, in writing order).</summary>
public sealed class Bond
{
    internal Bond(int index, int begin, int end, BondOrder order, BondDirection direction, bool isExplicit, bool isRingClosure)
    {
        Index = index;
        Begin = begin;
        End = end;
        Order = order;
        KekuleOrder = order;
        Direction = direction;
        IsExplicit = isExplicit;
        IsRingClosure = isRingClosure;
    }

    /// <summary>Index of the bond in <see cref="Molecule.Bonds"/>.</summary>
    public int Index { get; }

    /// <summary>The atom written first.</summary>
    public int Begin { get; }

    /// <summary>The atom written second (for a ring closure: the atom that closes the ring).</summary>
    public int End { get; }

    /// <summary>The order as written or implied by the SMILES (may be <see cref="BondOrder.Aromatic"/>).</summary>
    public BondOrder Order { get; internal set; }

    /// <summary>
    /// The order in the Kekulé structure found by the validator: aromatic bonds become single or
    /// double; every other bond keeps <see cref="Order"/>.
    /// </summary>
    public BondOrder KekuleOrder { get; internal set; }

    /// <summary>Cis/trans mark (<c>/</c> or <c>\</c>) as written (for a ring closure, at whichever end carries it; the closing end wins).</summary>
    public BondDirection Direction { get; }

    /// <summary>True for a ring closure whose mark was written at its closing digit (read from <see cref="End"/>); false when written at the opening digit or for chain bonds.</summary>
    internal bool DirectionAtClosure { get; init; }

    /// <summary>True when a bond symbol was written.</summary>
    public bool IsExplicit { get; }

    /// <summary>True when the bond was made by a ring-closure number.</summary>
    public bool IsRingClosure { get; }

    /// <summary>The atom at the other end from <paramref name="atom"/>.</summary>
    public int Other(int atom) => atom == Begin ? End : Begin;

    /// <summary>True when <paramref name="atom"/> is one of the ends.</summary>
    public bool Contains(int atom) => atom == Begin || atom == End;
}
