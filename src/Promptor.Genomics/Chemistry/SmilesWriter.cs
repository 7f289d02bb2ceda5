using System.Globalization;
using System.Text;

namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Writes one component of a molecule depth-first, from a start atom, taking each atom's neighbours in
/// the order of <c>rank</c> (lowest first): the canonical ranking gives <see cref="CanonicalSmiles"/>, a
/// random one <see cref="RandomizedSmiles"/>. Ring closures reuse the lowest free digit (<c>%nn</c>
/// above 9); tetrahedral marks are re-derived for the written neighbour order, and cis/trans marks
/// when double-bond configurations are given.
/// </summary>
/// <param name="mol">A validated molecule.</param>
/// <param name="order">Bond orders to write (an aromatic bond outside a ring as single).</param>
/// <param name="rank">A rank per atom; neighbours are visited in increasing rank.</param>
/// <param name="symmetryClass">Symmetry classes: a tetrahedral mark is dropped when two neighbours share a class; null keeps every mark.</param>
/// <param name="stereo">Tetrahedral centres (<see cref="CanonicalSmiles.StereoCentres"/>).</param>
/// <param name="doubleBonds">Cis/trans configurations to write (<see cref="DoubleBondStereo.Find"/>), or null to write no <c>/</c> or <c>\</c>.</param>
internal sealed class SmilesWriter(Molecule mol, BondOrder[] order, int[] rank, int[]? symmetryClass,
    (int[] Neighbors, bool Clockwise)?[] stereo, IReadOnlyList<DoubleBondStereo.Configuration>? doubleBonds = null)
{
    private readonly StringBuilder _sb = new();
    private readonly bool[] _visited = new bool[mol.Atoms.Count];
    private readonly bool[] _isTreeBond = new bool[mol.Bonds.Count];
    private readonly bool[] _isRingBond = new bool[mol.Bonds.Count];
    private readonly int[] _writtenFrom = new int[mol.Bonds.Count];
    private readonly List<int> _bondWritingOrder = [];
    private readonly List<int>[] _opens = new List<int>[mol.Atoms.Count]; // ring bonds opened at each atom
    private readonly Dictionary<int, int> _digitOfBond = [];
    private readonly bool[] _digitInUse = new bool[100];
    private readonly int[][] _bondsByRank = SortBondsByRank(mol, rank);
    private readonly BondDirection[] _marks = new BondDirection[mol.Bonds.Count];

    /// <summary>The atoms in the order they were written (the written string's atom numbering) by all <see cref="Write"/> calls so far.</summary>
    public List<int> WrittenAtoms { get; } = [];

    /// <summary>Writes the component of <paramref name="start"/>, starting there.</summary>
    public string Write(int start)
    {
        _sb.Clear();
        for (int i = 0; i < _opens.Length; i++)
        {
            _opens[i] = [];
        }
        _bondWritingOrder.Clear();
        FindRingBonds(start, -1);
        if (doubleBonds is not null)
        {
            var component = new HashSet<int>(_bondWritingOrder);
            var own = doubleBonds.Where(c => component.Contains(c.Bond)).ToList();
            var marks = DoubleBondStereo.Marks(mol, own, _writtenFrom, _bondWritingOrder);
            for (int b = 0; b < marks.Length; b++)
            {
                if (component.Contains(b))
                {
                    _marks[b] = marks[b];
                }
            }
        }
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
                _writtenFrom[b] = atom;
                _bondWritingOrder.Add(b);
                FindRingBonds(other, b);
            }
            else if (!_isTreeBond[b] && !_isRingBond[b])
            {
                // The bond symbol goes with the closing digit, written here.
                _isRingBond[b] = true;
                _writtenFrom[b] = atom;
                _bondWritingOrder.Add(b);
                _opens[other].Add(b);
            }
        }
    }

    private void WriteAtom(int atom, int fromBond)
    {
        _visited[atom] = true;
        WrittenAtoms.Add(atom);
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
            if (digit < 0)
            {
                throw new NotSupportedException("More than 99 ring closures open at once.");
            }
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
        if (_marks[b] != BondDirection.None)
        {
            return _marks[b] == BondDirection.Up ? "/" : "\\";
        }
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
        if (output.Count != 4)
        {
            return null;
        }
        var classes = symmetryClass is null ? [] : output.Where(x => x >= 0).Select(x => symmetryClass[x]).ToList();
        if (classes.Distinct().Count() != classes.Count)
        {
            return null;
        }
        return clockwise ^ CanonicalRanking.OddPermutation(input, output) ? "@@" : "@";
    }
}
