namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Cis/trans configurations of double bonds as written with <c>/</c> and <c>\</c>, and the marks that
/// express them again for another writing order (<see cref="RandomizedSmiles"/>).
/// </summary>
/// <remarks>
/// A mark is read from the atom it is written after towards the atom (or ring-closure partner) it
/// precedes. Seen from a double-bond atom outwards, two substituents on opposite ends are cis when
/// their outward marks are equal (<c>F/C=C\F</c>: C→F is <c>\</c> on both sides) and trans when they
/// differ (<c>F/C=C/F</c>). A double bond is a stereo bond when both of its ends carry a marked single
/// (or aromatic) bond; a mark on one end only is ignored.
/// </remarks>
internal static class DoubleBondStereo
{
    /// <summary>One stereo double bond: its ends, one marked substituent on each end, and whether those two are cis.</summary>
    internal readonly record struct Configuration(int Bond, int Begin, int End, int BeginNeighbor, int EndNeighbor, bool Cis)
    {
        /// <summary>
        /// Whether <paramref name="x"/> (a substituent of <paramref name="a"/>) and <paramref name="y"/>
        /// (a substituent of the other end) are cis; <paramref name="a"/> is either end.
        /// </summary>
        public bool AreCis(int a, int x, int y)
        {
            var (refA, refB) = a == Begin ? (BeginNeighbor, EndNeighbor) : (EndNeighbor, BeginNeighbor);
            // Each end has at most two substituents, on opposite sides: swapping one flips the relation.
            return Cis ^ (x != refA) ^ (y != refB);
        }
    }

    /// <summary>The stereo double bonds of <paramref name="mol"/> as written.</summary>
    public static List<Configuration> Find(Molecule mol)
    {
        var result = new List<Configuration>();
        foreach (var bond in mol.Bonds)
        {
            if (bond.Order != BondOrder.Double
                || MarkedSubstituent(mol, bond.Begin, bond.Index) is not var (x, outX)
                || MarkedSubstituent(mol, bond.End, bond.Index) is not var (y, outY))
            {
                continue;
            }
            result.Add(new Configuration(bond.Index, bond.Begin, bond.End, x, y, outX == outY));
        }
        return result;
    }

    /// <summary>The bonds at <paramref name="atom"/> that can carry a mark for double bond <paramref name="doubleBond"/>.</summary>
    public static IEnumerable<int> Substituents(Molecule mol, int atom, int doubleBond) =>
        mol.BondsOf(atom).Where(b => b != doubleBond && mol.Bonds[b].Order is BondOrder.Single or BondOrder.Aromatic);

    // The first marked substituent bond at 'atom' and its mark read outwards from 'atom', or null.
    private static (int Neighbor, BondDirection Outward)? MarkedSubstituent(Molecule mol, int atom, int doubleBond)
    {
        foreach (int b in Substituents(mol, atom, doubleBond))
        {
            var direction = OutwardMark(mol.Bonds[b], atom);
            if (direction != BondDirection.None)
            {
                return (mol.Bonds[b].Other(atom), direction);
            }
        }
        return null;
    }

    /// <summary>The mark of <paramref name="bond"/> read from <paramref name="from"/> towards its other atom.</summary>
    public static BondDirection OutwardMark(Bond bond, int from)
    {
        // A chain bond is written from Begin to End; a ring closure from the atom whose digit carries the mark.
        int writtenFrom = bond.IsRingClosure && bond.DirectionAtClosure ? bond.End : bond.Begin;
        return from == writtenFrom ? bond.Direction : Flip(bond.Direction);
    }

    public static BondDirection Flip(BondDirection d) => d switch
    {
        BondDirection.Up => BondDirection.Down,
        BondDirection.Down => BondDirection.Up,
        _ => BondDirection.None,
    };

    /// <summary>
    /// Marks that express <paramref name="configurations"/> for a new writing order: every substituent
    /// bond of every stereo double bond gets a mark, as written from <paramref name="writtenFrom"/>[bond];
    /// bonds listed earlier in <paramref name="writingOrder"/> are fixed first (the first of each
    /// connected set of constraints gets <c>/</c>). Other bonds get <see cref="BondDirection.None"/>.
    /// </summary>
    public static BondDirection[] Marks(Molecule mol, IReadOnlyList<Configuration> configurations, int[] writtenFrom, IReadOnlyList<int> writingOrder)
    {
        var marks = new BondDirection[mol.Bonds.Count];
        if (configurations.Count == 0)
        {
            return marks;
        }
        // Constraint graph over substituent bonds: (other bond, whether the written marks must differ).
        var edges = new Dictionary<int, List<(int Other, bool Differ)>>();
        void Link(int b1, int b2, bool outwardDiffer, int atom1, int atom2)
        {
            // Outward mark = written mark, flipped when the bond is written towards the double-bond atom.
            bool differ = outwardDiffer ^ (writtenFrom[b1] != atom1) ^ (writtenFrom[b2] != atom2);
            Add(b1, (b2, differ));
            Add(b2, (b1, differ));
        }
        void Add(int b, (int, bool) edge)
        {
            if (!edges.TryGetValue(b, out var list))
            {
                edges[b] = list = [];
            }
            list.Add(edge);
        }
        foreach (var c in configurations)
        {
            var begin = Substituents(mol, c.Begin, c.Bond).ToList();
            var end = Substituents(mol, c.End, c.Bond).ToList();
            foreach (int bx in begin)
            {
                foreach (int by in end)
                {
                    bool cis = c.AreCis(c.Begin, mol.Bonds[bx].Other(c.Begin), mol.Bonds[by].Other(c.End));
                    Link(bx, by, !cis, c.Begin, c.End);
                }
            }
            if (begin.Count == 2)
            {
                Link(begin[0], begin[1], true, c.Begin, c.Begin);
            }
            if (end.Count == 2)
            {
                Link(end[0], end[1], true, c.End, c.End);
            }
        }
        var queue = new Queue<int>();
        foreach (int root in writingOrder)
        {
            if (!edges.ContainsKey(root) || marks[root] != BondDirection.None)
            {
                continue;
            }
            marks[root] = BondDirection.Up;
            queue.Enqueue(root);
            while (queue.Count > 0)
            {
                int b = queue.Dequeue();
                foreach (var (other, differ) in edges[b])
                {
                    if (marks[other] == BondDirection.None)
                    {
                        marks[other] = differ ? Flip(marks[b]) : marks[b];
                        queue.Enqueue(other);
                    }
                }
            }
        }
        return marks;
    }
}
