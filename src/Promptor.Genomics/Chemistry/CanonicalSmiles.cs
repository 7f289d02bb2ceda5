namespace Promptor.Genomics.Chemistry;

/// <summary>
/// A canonical SMILES string, so that two spellings of the same molecule compare equal
/// (<c>OCC</c> and <c>C(O)C</c> both give <c>CCO</c>). Atoms are ranked in the manner of Weininger's
/// CANON: initial invariants (element, isotope, charge, aromaticity, degree, hydrogens), refined by
/// the sorted ranks of the neighbours until stable, ties broken one at a time and refined again;
/// the string is then written depth-first from the lowest-ranked atom, branches in rank order, and the
/// dot-separated components sorted.
/// </summary>
/// <remarks>
/// Tetrahedral marks are kept and re-expressed for the new neighbour order; the handedness of each
/// centre relative to its neighbours' ranks also refines the ranking, so mirror-image centres
/// (meso compounds) are told apart. Limitations (deliberate, all of them merge rather than split):
/// the aromatic and Kekulé spellings of a ring (<c>c1ccccc1</c>, <c>C1=CC=CC=C1</c>) stay different —
/// there is no aromaticity perception; cis/trans marks (<c>/</c>, <c>\</c>) and atom classes are
/// dropped, so double-bond stereoisomers collapse; a tetrahedral mark is dropped when two neighbours
/// are still tied after refinement (cis/trans-disubstituted rings such as the lindane isomers then
/// collapse); other chirality classes (<c>@SP1</c>, …) are dropped. Ties that refinement cannot
/// separate are broken arbitrarily, which is exact when the tied atoms are symmetric. On the 7,831
/// Tox21 SMILES, three random RDKit re-spellings of each molecule give the same string here except
/// where RDKit itself switches between aromatic and Kekulé rings (5 molecules), and the file has
/// 7,800 distinct strings (RDKit: 7,804 ignoring double-bond stereo). RDKit's canonical SMILES is a
/// different string for the same molecule; compare only strings made here.
/// </remarks>
public static class CanonicalSmiles
{
    /// <summary>
    /// The canonical SMILES of <paramref name="smiles"/>, or null when it is not valid
    /// (<see cref="SmilesValidator"/>).
    /// </summary>
    public static string? Canonicalize(string smiles)
    {
        var result = SmilesValidator.Validate(smiles);
        return result.IsValid ? Write(result.Molecule!) : null;
    }

    /// <summary>The canonical SMILES of a molecule that passed <see cref="SmilesValidator.Validate"/>.</summary>
    public static string Write(Molecule mol)
    {
        ArgumentNullException.ThrowIfNull(mol);
        if (mol.Atoms.Count == 0)
        {
            return "";
        }
        var ringBond = RingBonds.Find(mol);
        var order = WrittenOrders(mol, ringBond);
        var code = new int[mol.Bonds.Count];
        foreach (var bond in mol.Bonds)
        {
            code[bond.Index] = (int)order[bond.Index] | (ringBond[bond.Index] ? 8 : 0);
        }
        var stereo = StereoCentres(mol);
        var ranking = new CanonicalRanking(mol, code, stereo);
        var symmetryClass = ranking.Refine(InitialRanks(mol, SmallestRings(mol, ringBond)));
        var rank = ranking.BreakTies(symmetryClass);

        var component = mol.Components();
        int count = component.Max() + 1;
        var parts = new List<string>(count);
        for (int c = 0; c < count; c++)
        {
            int start = -1;
            for (int a = 0; a < mol.Atoms.Count; a++)
            {
                if (component[a] == c && (start < 0 || rank[a] < rank[start]))
                {
                    start = a;
                }
            }
            parts.Add(new SmilesWriter(mol, order, rank, symmetryClass, stereo).Write(start));
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join('.', parts);
    }

    /// <summary>The order each bond is written with: an aromatic bond outside a ring (<c>c1ccccc1c1ccccc1</c>) is the single bond of <c>c1ccccc1-c1ccccc1</c>.</summary>
    internal static BondOrder[] WrittenOrders(Molecule mol, bool[] ringBond)
    {
        var order = new BondOrder[mol.Bonds.Count];
        foreach (var bond in mol.Bonds)
        {
            order[bond.Index] = bond.Order == BondOrder.Aromatic && !ringBond[bond.Index] ? BondOrder.Single : bond.Order;
        }
        return order;
    }

    private static int[] InitialRanks(Molecule mol, int[] smallestRing)
    {
        var keys = new long[mol.Atoms.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            var a = mol.Atoms[i];
            // Packed invariant; every field fits its bit range for real molecules.
            keys[i] = ((long)a.AtomicNumber << 48)
                | ((long)Math.Clamp(a.Isotope ?? 0, 0, 4095) << 36)
                | ((long)(Math.Clamp(a.Charge, -15, 15) + 16) << 30)
                | ((long)(a.IsAromatic ? 1 : 0) << 29)
                | ((long)Math.Min(mol.Degree(i), 63) << 22)
                | ((long)Math.Min(a.TotalHydrogens, 63) << 16)
                | (long)Math.Min(smallestRing[i], 255);
        }
        return CanonicalRanking.DenseRanks(keys, Comparer<long>.Default);
    }

    // Size of the smallest ring through each atom (0 when none): colour refinement alone cannot tell
    // a ring CH2 from a chain CH2 in, e.g., two morpholines joined by CCOCC.
    private static int[] SmallestRings(Molecule mol, bool[] ringBond)
    {
        var smallest = new int[mol.Atoms.Count];
        var distance = new int[mol.Atoms.Count];
        var queue = new Queue<int>();
        foreach (var bond in mol.Bonds)
        {
            if (!ringBond[bond.Index])
            {
                continue;
            }
            // Shortest path Begin → End avoiding this bond, plus the bond itself.
            Array.Fill(distance, -1);
            distance[bond.Begin] = 0;
            queue.Clear();
            queue.Enqueue(bond.Begin);
            while (queue.Count > 0 && distance[bond.End] < 0)
            {
                int a = queue.Dequeue();
                foreach (int bi in mol.BondsOf(a))
                {
                    int o = mol.Bonds[bi].Other(a);
                    if (bi != bond.Index && distance[o] < 0)
                    {
                        distance[o] = distance[a] + 1;
                        queue.Enqueue(o);
                    }
                }
            }
            int size = distance[bond.End] + 1;
            foreach (int a in (int[])[bond.Begin, bond.End])
            {
                smallest[a] = smallest[a] == 0 ? size : Math.Min(smallest[a], size);
            }
        }
        return smallest;
    }

    // Tetrahedral centres: neighbours in SMILES order (a lone pair or H as Atom.HydrogenNeighbor) and whether '@@'.
    internal static (int[] Neighbors, bool Clockwise)?[] StereoCentres(Molecule mol)
    {
        var result = new (int[], bool)?[mol.Atoms.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var a = mol.Atoms[i];
            bool clockwise;
            switch (a.Chirality)
            {
                case "@" or "@TH1":
                    clockwise = false;
                    break;
                case "@@" or "@TH2":
                    clockwise = true;
                    break;
                default:
                    continue;
            }
            int h = a.TotalHydrogens, degree = mol.Degree(i);
            var input = new List<int>(a.NeighborOrder);
            if (h == 0 && degree == 3)
            {
                // A lone pair stands where an implicit hydrogen would: right after the preceding atom.
                input.Insert(a.FollowsAtom ? 1 : 0, Atom.HydrogenNeighbor);
            }
            else if (!(h == 1 && degree == 3) && !(h == 0 && degree == 4))
            {
                continue;
            }
            if (input.Count == 4)
            {
                result[i] = ([.. input], clockwise);
            }
        }
        return result;
    }
}
