using System.Globalization;
using System.Text;

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
        var code = new int[mol.Bonds.Count];
        var order = new BondOrder[mol.Bonds.Count];
        foreach (var bond in mol.Bonds)
        {
            // An aromatic bond outside a ring (c1ccccc1c1ccccc1) is the single bond of c1ccccc1-c1ccccc1.
            order[bond.Index] = bond.Order == BondOrder.Aromatic && !ringBond[bond.Index] ? BondOrder.Single : bond.Order;
            code[bond.Index] = (int)order[bond.Index] | (ringBond[bond.Index] ? 8 : 0);
        }
        var stereo = StereoCentres(mol);
        var ranking = new Ranking(mol, code, stereo);
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
            parts.Add(new Writer(mol, order, rank, symmetryClass, stereo).Write(start));
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join('.', parts);
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
        return DenseRanks(keys, Comparer<long>.Default);
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
    private static (int[] Neighbors, bool Clockwise)?[] StereoCentres(Molecule mol)
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

    // Parity of the permutation taking 'from' to 'to' (same elements): true when odd.
    private static bool OddPermutation(IReadOnlyList<int> from, IReadOnlyList<int> to)
    {
        var position = to.Select(x => IndexOf(from, x)).ToArray();
        int inversions = 0;
        for (int p = 0; p < position.Length; p++)
        {
            for (int q = p + 1; q < position.Length; q++)
            {
                if (position[p] > position[q])
                {
                    inversions++;
                }
            }
        }
        return inversions % 2 == 1;
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int k = 0; k < list.Count; k++)
        {
            if (list[k] == value)
            {
                return k;
            }
        }
        return -1;
    }

    // Dense ranks 0..m-1 of the keys.
    private static int[] DenseRanks<T>(T[] keys, IComparer<T> comparer)
    {
        var idx = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(idx, (x, y) => comparer.Compare(keys[x], keys[y]));
        var rank = new int[keys.Length];
        int r = 0;
        for (int k = 0; k < idx.Length; k++)
        {
            if (k > 0 && comparer.Compare(keys[idx[k]], keys[idx[k - 1]]) != 0)
            {
                r++;
            }
            rank[idx[k]] = r;
        }
        return rank;
    }

    // Weininger-style ranking over flat buffers: each refinement pass writes every atom's key
    // (own rank, its sorted neighbour (rank, bond code) pairs) into one long[] and re-ranks by sorting.
    private sealed class Ranking
    {
        private readonly int _n;
        private readonly int[][] _neighbors;
        private readonly int[][] _codes;
        private readonly (int[] Neighbors, bool Clockwise)?[] _stereo;
        private readonly int[] _offset;
        private readonly long[] _keys;
        private readonly int[] _order;
        private readonly long[] _smallKeys;
        private readonly Comparison<int> _compareKeys;

        public Ranking(Molecule mol, int[] code, (int[] Neighbors, bool Clockwise)?[] stereo)
        {
            _n = mol.Atoms.Count;
            _stereo = stereo;
            _neighbors = new int[_n][];
            _codes = new int[_n][];
            _offset = new int[_n + 1];
            for (int a = 0; a < _n; a++)
            {
                var bonds = mol.BondsOf(a);
                _neighbors[a] = new int[bonds.Count];
                _codes[a] = new int[bonds.Count];
                for (int k = 0; k < bonds.Count; k++)
                {
                    _neighbors[a][k] = mol.Bonds[bonds[k]].Other(a);
                    _codes[a][k] = code[bonds[k]];
                }
                _offset[a + 1] = _offset[a] + 1 + bonds.Count;
            }
            _keys = new long[_offset[_n]];
            _order = new int[_n];
            _smallKeys = new long[_n];
            _compareKeys = CompareKeys;
        }

        private int CompareKeys(int x, int y)
        {
            var kx = _keys.AsSpan(_offset[x], _offset[x + 1] - _offset[x]);
            var ky = _keys.AsSpan(_offset[y], _offset[y + 1] - _offset[y]);
            return kx.SequenceCompareTo(ky);
        }

        // Alternates neighbour refinement with stereo refinement until the number of classes is stable.
        public int[] Refine(int[] initial)
        {
            var rank = (int[])initial.Clone();
            int classes = Classes(rank);
            while (true)
            {
                classes = RefineByNeighbors(rank, classes);
                int afterStereo = RefineByStereo(rank, classes);
                if (afterStereo == classes)
                {
                    return rank;
                }
                classes = afterStereo;
            }
        }

        private static int Classes(int[] rank)
        {
            int max = -1;
            foreach (int r in rank)
            {
                max = Math.Max(max, r);
            }
            return max + 1;
        }

        // Refines ranks in place by (own rank, sorted neighbour (rank, bond code) list) until the number of classes stops growing.
        private int RefineByNeighbors(int[] rank, int classes)
        {
            while (true)
            {
                for (int a = 0; a < _n; a++)
                {
                    int k = _offset[a];
                    _keys[k] = rank[a];
                    var neighbors = _neighbors[a];
                    for (int j = 0; j < neighbors.Length; j++)
                    {
                        _keys[k + 1 + j] = ((long)rank[neighbors[j]] << 5) | (long)_codes[a][j];
                    }
                    Array.Sort(_keys, k + 1, neighbors.Length);
                }
                for (int a = 0; a < _n; a++)
                {
                    _order[a] = a;
                }
                Array.Sort(_order, _compareKeys);
                int next = 0;
                for (int k = 0; k < _n; k++)
                {
                    if (k > 0 && CompareKeys(_order[k], _order[k - 1]) != 0)
                    {
                        next++;
                    }
                    rank[_order[k]] = next;
                }
                next++;
                if (next == classes)
                {
                    return classes;
                }
                classes = next;
            }
        }

        // Splits classes by the handedness of each tetrahedral centre relative to its neighbours' ranks
        // (defined once those ranks differ), so mirror-image centres (meso compounds) stop being tied.
        private int RefineByStereo(int[] rank, int classes)
        {
            bool any = false;
            Span<int> byRank = stackalloc int[4];
            for (int a = 0; a < _n; a++)
            {
                _smallKeys[a] = 3L * rank[a];
                if (_stereo[a] is not var (neighbors, clockwise))
                {
                    continue;
                }
                // Neighbours sorted by rank (a hydrogen or lone pair first); skip if two ranks tie.
                neighbors.CopyTo(byRank);
                bool tie = false;
                for (int p = 1; p < 4; p++)
                {
                    for (int q = p; q > 0 && Key(byRank[q]) < Key(byRank[q - 1]); q--)
                    {
                        (byRank[q], byRank[q - 1]) = (byRank[q - 1], byRank[q]);
                    }
                }
                for (int p = 1; p < 4; p++)
                {
                    tie |= Key(byRank[p]) == Key(byRank[p - 1]);
                }
                if (tie)
                {
                    continue;
                }
                _smallKeys[a] += clockwise ^ OddPermutation(neighbors, byRank.ToArray()) ? 2 : 1;
                any = true;
            }
            if (!any)
            {
                return classes;
            }
            var dense = DenseRanks(_smallKeys, Comparer<long>.Default);
            Array.Copy(dense, rank, _n);
            return Classes(rank);

            long Key(int neighbor) => neighbor < 0 ? -1 : rank[neighbor];
        }

        // Separates tied atoms one at a time (the first of the lowest tied class goes first), refining after each.
        public int[] BreakTies(int[] rank)
        {
            var size = new int[_n];
            while (Classes(rank) < _n)
            {
                Array.Clear(size);
                foreach (int r in rank)
                {
                    size[r]++;
                }
                int tied = Array.FindIndex(size, c => c > 1);
                int chosen = Array.IndexOf(rank, tied);
                var doubled = new int[_n];
                for (int a = 0; a < _n; a++)
                {
                    doubled[a] = 2 * rank[a] + (rank[a] == tied && a != chosen ? 1 : 0);
                }
                rank = Refine(DenseRanks(doubled, Comparer<int>.Default));
            }
            return rank;
        }
    }

    private sealed class Writer(Molecule mol, BondOrder[] order, int[] rank, int[] symmetryClass,
        (int[] Neighbors, bool Clockwise)?[] stereo)
    {
        private readonly StringBuilder _sb = new();
        private readonly bool[] _visited = new bool[mol.Atoms.Count];
        private readonly bool[] _isTreeBond = new bool[mol.Bonds.Count];
        private readonly bool[] _isRingBond = new bool[mol.Bonds.Count];
        private readonly List<int>[] _opens = new List<int>[mol.Atoms.Count]; // ring bonds opened at each atom
        private readonly Dictionary<int, int> _digitOfBond = [];
        private readonly bool[] _digitInUse = new bool[100];
        private readonly int[][] _bondsByRank = SortBondsByRank(mol, rank);

        public string Write(int start)
        {
            for (int i = 0; i < _opens.Length; i++)
            {
                _opens[i] = [];
            }
            FindRingBonds(start, -1);
            Array.Fill(_visited, false);
            WriteAtom(start, -1);
            return _sb.ToString();
        }

        // Each atom's bonds ordered by the rank of the atom at the other end.
        private static int[][] SortBondsByRank(Molecule mol, int[] rank)
        {
            var result = new int[mol.Atoms.Count][];
            for (int a = 0; a < result.Length; a++)
            {
                var bonds = mol.BondsOf(a).ToArray();
                var keys = bonds.Select(b => rank[mol.Bonds[b].Other(a)]).ToArray();
                Array.Sort(keys, bonds);
                result[a] = bonds;
            }
            return result;
        }

        // Pass 1: the DFS that pass 2 repeats; back edges become ring closures opened at the ancestor.
        private void FindRingBonds(int atom, int fromBond)
        {
            _visited[atom] = true;
            foreach (int b in _bondsByRank[atom])
            {
                if (b == fromBond)
                {
                    continue;
                }
                int other = mol.Bonds[b].Other(atom);
                if (!_visited[other])
                {
                    _isTreeBond[b] = true;
                    FindRingBonds(other, b);
                }
                else if (!_isTreeBond[b] && !_isRingBond[b])
                {
                    _isRingBond[b] = true;
                    _opens[other].Add(b);
                }
            }
        }

        private void WriteAtom(int atom, int fromBond)
        {
            _visited[atom] = true;
            // Written neighbour order: the atom we came from, then ring digits, then branches and chain.
            var written = new List<int>();
            if (fromBond >= 0)
            {
                written.Add(mol.Bonds[fromBond].Other(atom));
            }
            var ringDigits = new StringBuilder();
            var ringPartners = new List<int>();
            // Closings (bonds opened earlier at an ancestor) first, then openings.
            foreach (int b in mol.BondsOf(atom).Where(b => _isRingBond[b] && _digitOfBond.ContainsKey(b))
                         .OrderBy(b => _digitOfBond[b]))
            {
                int digit = _digitOfBond[b];
                _digitOfBond.Remove(b);
                _digitInUse[digit] = false;
                ringDigits.Append(BondSymbol(b)).Append(Digit(digit));
                ringPartners.Add(mol.Bonds[b].Other(atom));
            }
            // Openings were collected in rank order of the closing atom (pass 1 follows _bondsByRank).
            foreach (int b in _opens[atom])
            {
                int digit = Array.IndexOf(_digitInUse, false, 1);
                _digitInUse[digit] = true;
                _digitOfBond[b] = digit;
                ringDigits.Append(Digit(digit));
                ringPartners.Add(mol.Bonds[b].Other(atom));
            }
            var children = _bondsByRank[atom].Where(b => b != fromBond && _isTreeBond[b]).ToList();

            written.AddRange(ringPartners);
            written.AddRange(children.Select(b => mol.Bonds[b].Other(atom)));
            _sb.Append(AtomText(atom, written, fromBond >= 0));
            _sb.Append(ringDigits);
            for (int k = 0; k < children.Count; k++)
            {
                bool branch = k < children.Count - 1;
                if (branch)
                {
                    _sb.Append('(');
                }
                _sb.Append(BondSymbol(children[k]));
                WriteAtom(mol.Bonds[children[k]].Other(atom), children[k]);
                if (branch)
                {
                    _sb.Append(')');
                }
            }
        }

        private static string Digit(int d) => d < 10 ? ((char)('0' + d)).ToString() : "%" + d.ToString(CultureInfo.InvariantCulture);

        private string BondSymbol(int b)
        {
            var bond = mol.Bonds[b];
            bool bothAromatic = mol.Atoms[bond.Begin].IsAromatic && mol.Atoms[bond.End].IsAromatic;
            return order[b] switch
            {
                BondOrder.Single => bothAromatic ? "-" : "",
                BondOrder.Double => "=",
                BondOrder.Triple => "#",
                BondOrder.Quadruple => "$",
                _ => bothAromatic ? "" : ":",
            };
        }

        private string AtomText(int i, List<int> writtenNeighbors, bool hasPrevious)
        {
            var a = mol.Atoms[i];
            string? chirality = Chirality(i, writtenNeighbors, hasPrevious);
            bool organic = a.Isotope is null && a.Charge == 0 && chirality is null
                && IsOrganicSubset(a) && OrganicHydrogens(i) == a.TotalHydrogens;
            if (organic)
            {
                return a.Symbol;
            }
            var sb = new StringBuilder("[");
            if (a.Isotope is int isotope)
            {
                sb.Append(isotope.ToString(CultureInfo.InvariantCulture));
            }
            sb.Append(a.Symbol).Append(chirality);
            int h = a.TotalHydrogens;
            if (h > 0)
            {
                sb.Append('H');
                if (h > 1)
                {
                    sb.Append(h.ToString(CultureInfo.InvariantCulture));
                }
            }
            if (a.Charge != 0)
            {
                sb.Append(a.Charge > 0 ? '+' : '-');
                if (Math.Abs(a.Charge) > 1)
                {
                    sb.Append(Math.Abs(a.Charge).ToString(CultureInfo.InvariantCulture));
                }
            }
            return sb.Append(']').ToString();
        }

        private static bool IsOrganicSubset(Atom a) => a.IsAromatic
            ? a.AtomicNumber is 5 or 6 or 7 or 8 or 15 or 16
            : a.AtomicNumber is 0 or 5 or 6 or 7 or 8 or 9 or 15 or 16 or 17 or 35 or 53;

        // Hydrogens the valence model would give this atom written without brackets.
        private int OrganicHydrogens(int i) => Valence.Implicit(mol, i, Valence.Explicit(mol, i, bracketHydrogens: false), out _);

        // The tetrahedral mark for the written neighbour order, or null when the atom is no stereocentre.
        private string? Chirality(int i, List<int> written, bool hasPrevious)
        {
            if (stereo[i] is not var (input, clockwise))
            {
                return null;
            }
            var output = new List<int>(written);
            if (input.Contains(Atom.HydrogenNeighbor))
            {
                output.Insert(hasPrevious ? 1 : 0, Atom.HydrogenNeighbor);
            }
            // Two neighbours that are symmetry-equivalent make the mark meaningless.
            var classes = output.Where(x => x >= 0).Select(x => symmetryClass[x]).ToList();
            if (output.Count != 4 || classes.Distinct().Count() != classes.Count)
            {
                return null;
            }
            return clockwise ^ OddPermutation(input, output) ? "@@" : "@";
        }
    }
}
