namespace Promptor.Genomics.Chemistry;

/// <summary>The order of a bond as written in SMILES.</summary>
public enum BondOrder
{
    /// <summary>Single bond: <c>-</c>; <c>/</c>, <c>\</c> or no symbol between atoms that are not both aromatic.</summary>
    Single = 1,

    /// <summary>Double bond: <c>=</c>.</summary>
    Double = 2,

    /// <summary>Triple bond: <c>#</c>.</summary>
    Triple = 3,

    /// <summary>Quadruple bond: <c>$</c>.</summary>
    Quadruple = 4,

    /// <summary>Aromatic bond: <c>:</c>; no symbol, <c>/</c> or <c>\</c> between two aromatic atoms (as RDKit reads them). Counts 1.5 towards valence.</summary>
    Aromatic = 5,
}
