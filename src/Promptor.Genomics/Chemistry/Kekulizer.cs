namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Turns aromatic bonds into alternating single and double bonds. First each aromatic ring atom is
/// asked whether it needs a double bond (RDKit's rule: one more bond order would bring it exactly
/// to its valence — benzene <c>c</c>, pyridine <c>n</c> do; pyrrole <c>[nH]</c>, furan <c>o</c>,
/// thiophene <c>s</c>, <c>c(=O)</c> do not); then a perfect matching of those atoms over aromatic
/// ring bonds (<see cref="Matching"/>) gives the double bonds. No perfect matching means the
/// aromatic system cannot be kekulised (<c>c1cccc1</c>, <c>n1cccc1</c>).
/// </summary>
internal static class Kekulizer
{
    private const int MaxOptionalAtoms = 12;

    /// <summary>
    /// Kekulises <paramref name="mol"/> in place (sets <see cref="Bond.KekuleOrder"/>); returns the
    /// problem found, or null. Needs the implicit hydrogens and explicit valences from <see cref="Valence.Assign"/>.
    /// </summary>
    public static string? Run(Molecule mol, int[] explicitValence)
    {
        int n = mol.Atoms.Count;
        foreach (var bond in mol.Bonds)
        {
            bond.KekuleOrder = bond.Order;
        }
        var ringBond = RingBonds.Find(mol);
        var inRing = new bool[n];
        var aromatic = new bool[n];
        foreach (var bond in mol.Bonds)
        {
            if (ringBond[bond.Index])
            {
                inRing[bond.Begin] = inRing[bond.End] = true;
            }
            if (bond.Order == BondOrder.Aromatic)
            {
                aromatic[bond.Begin] = aromatic[bond.End] = true;
            }
        }
        for (int i = 0; i < n; i++)
        {
            var a = mol.Atoms[i];
            aromatic[i] |= a.IsAromatic;
            if (a.IsAromatic && !inRing[i])
            {
                return $"aromatic atom {i} ({a}) is not in a ring";
            }
        }

        var required = new List<int>();
        var optional = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (mol.Atoms[i].AtomicNumber == 0)
            {
                // A wildcard on an aromatic ring may or may not take a double bond.
                if (mol.BondsOf(i).Any(bi => ringBond[bi] && aromatic[mol.Bonds[bi].Other(i)]))
                {
                    optional.Add(i);
                }
            }
            else if (aromatic[i] && inRing[i] && NeedsDoubleBond(mol, i, explicitValence[i]))
            {
                required.Add(i);
            }
        }
        if (required.Count == 0)
        {
            SetAromaticBondsSingle(mol);
            return null;
        }

        int tries = optional.Count <= MaxOptionalAtoms ? 1 << optional.Count : 1;
        for (int off = 0; off < tries; off++)
        {
            var candidate = new bool[n];
            foreach (int i in required)
            {
                candidate[i] = true;
            }
            for (int k = 0; k < optional.Count; k++)
            {
                candidate[optional[k]] = (off & (1 << k)) == 0;
            }
            if (TryMatch(mol, ringBond, candidate))
            {
                return null;
            }
        }
        SetAromaticBondsSingle(mol);
        return $"aromatic system cannot be kekulised (atoms {string.Join(", ", required)} need a double bond)";
    }

    /// <summary>RDKit <c>markDbondCands</c> for one non-wildcard aromatic ring atom.</summary>
    private static bool NeedsDoubleBond(Molecule mol, int i, int explicitValence)
    {
        var a = mol.Atoms[i];
        int z = a.AtomicNumber;
        // Bond orders with every aromatic bond counted as single, plus hydrogens.
        int sbo = a.TotalHydrogens;
        foreach (int bi in mol.BondsOf(i))
        {
            var order = mol.Bonds[bi].Order;
            sbo += order == BondOrder.Aromatic ? 1 : (int)Math.Round(Valence.Contribution(order));
        }
        var valences = Elements.Valences(z);
        int shift = Valence.ValenceShift(z, a.Charge);
        int dv = valences[0] + shift;
        int totalValence = explicitValence + a.ImplicitHydrogens;
        int totalDegree = mol.Degree(i) + a.ImplicitHydrogens;
        // A hypervalent atom (s in O=s1cccc1) is measured against the next allowed valence.
        for (int k = 1; totalValence > dv && k < valences.Length && valences[k] > 0; k++)
        {
            dv = valences[k] + shift;
        }
        if (totalValence == 5 && sbo == 4 && dv == 3 && totalDegree == 3 && shift == 0 && a.TotalHydrogens == 0
            && z is 7 or 15 or 33)
        {
            dv = 5; // aromatic N-oxide written O=n1ccccc1
        }
        if (totalDegree >= dv)
        {
            return false;
        }
        // One more bond order reaches the valence; a bracket atom may instead be a radical one short of it.
        return dv == sbo + 1 || (a.IsBracket && dv == sbo + 2);
    }

    private static bool TryMatch(Molecule mol, bool[] ringBond, bool[] candidate)
    {
        int n = mol.Atoms.Count;
        var index = new int[n];
        var atoms = new List<int>();
        for (int i = 0; i < n; i++)
        {
            index[i] = candidate[i] ? atoms.Count : -1;
            if (candidate[i])
            {
                atoms.Add(i);
            }
        }
        if (atoms.Count % 2 == 1)
        {
            return false;
        }
        var adjacency = new List<int>[atoms.Count];
        for (int k = 0; k < atoms.Count; k++)
        {
            adjacency[k] = [];
        }
        var edgeBond = new Dictionary<(int, int), Bond>();
        foreach (var bond in mol.Bonds)
        {
            int u = index[bond.Begin], v = index[bond.End];
            if (u < 0 || v < 0 || !ringBond[bond.Index])
            {
                continue;
            }
            bool wildcard = mol.Atoms[bond.Begin].AtomicNumber == 0 || mol.Atoms[bond.End].AtomicNumber == 0;
            if (bond.Order != BondOrder.Aromatic && !(wildcard && bond.Order == BondOrder.Single))
            {
                continue;
            }
            adjacency[u].Add(v);
            adjacency[v].Add(u);
            edgeBond[(Math.Min(u, v), Math.Max(u, v))] = bond;
        }
        var mate = Matching.Maximum(adjacency);
        if (mate.Any(m => m < 0))
        {
            return false;
        }
        SetAromaticBondsSingle(mol);
        for (int u = 0; u < mate.Length; u++)
        {
            if (u < mate[u])
            {
                edgeBond[(u, mate[u])].KekuleOrder = BondOrder.Double;
            }
        }
        return true;
    }

    private static void SetAromaticBondsSingle(Molecule mol)
    {
        foreach (var bond in mol.Bonds)
        {
            bond.KekuleOrder = bond.Order == BondOrder.Aromatic ? BondOrder.Single : bond.Order;
        }
    }
}
