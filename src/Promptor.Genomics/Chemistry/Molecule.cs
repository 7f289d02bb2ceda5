namespace Promptor.Genomics.Chemistry;

/// <summary>
/// A molecular graph parsed from SMILES (<see cref="SmilesParser"/>): atoms in order of appearance and
/// bonds in order of creation (a ring-closure bond is created where the ring closes).
/// </summary>
public sealed class Molecule
{
    private readonly List<Atom> _atoms = [];
    private readonly List<Bond> _bonds = [];
    private readonly List<List<int>> _atomBonds = [];

    internal Molecule(string smiles)
    {
        Smiles = smiles;
    }

    /// <summary>The SMILES the molecule was parsed from.</summary>
    public string Smiles { get; }

    /// <summary>The atoms.</summary>
    public IReadOnlyList<Atom> Atoms => _atoms;

    /// <summary>The bonds.</summary>
    public IReadOnlyList<Bond> Bonds => _bonds;

    /// <summary>Indices of the bonds at <paramref name="atom"/>, in order of creation.</summary>
    public IReadOnlyList<int> BondsOf(int atom) => _atomBonds[atom];

    /// <summary>Number of explicit neighbours of <paramref name="atom"/> (hydrogens in brackets or implicit are not counted).</summary>
    public int Degree(int atom) => _atomBonds[atom].Count;

    /// <summary>The bond between atoms <paramref name="a"/> and <paramref name="b"/>, or null.</summary>
    public Bond? BondBetween(int a, int b)
    {
        foreach (int bi in _atomBonds[a])
        {
            if (_bonds[bi].Other(a) == b)
            {
                return _bonds[bi];
            }
        }
        return null;
    }

    /// <summary>Number of connected components (the dot-separated parts, unless ring closures join them).</summary>
    public int ComponentCount
    {
        get
        {
            var component = Components();
            return component.Length == 0 ? 0 : component.Max() + 1;
        }
    }

    /// <summary>The connected component of every atom, numbered 0, 1, … in order of first atom.</summary>
    public int[] Components()
    {
        var component = new int[_atoms.Count];
        Array.Fill(component, -1);
        int count = 0;
        var stack = new Stack<int>();
        for (int start = 0; start < _atoms.Count; start++)
        {
            if (component[start] >= 0)
            {
                continue;
            }
            component[start] = count;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int a = stack.Pop();
                foreach (int bi in _atomBonds[a])
                {
                    int o = _bonds[bi].Other(a);
                    if (component[o] < 0)
                    {
                        component[o] = count;
                        stack.Push(o);
                    }
                }
            }
            count++;
        }
        return component;
    }

    internal Atom AddAtom(int atomicNumber, bool isAromatic, bool isBracket, int position)
    {
        var atom = new Atom(_atoms.Count, atomicNumber, isAromatic, isBracket, position);
        _atoms.Add(atom);
        _atomBonds.Add([]);
        return atom;
    }

    internal Bond AddBond(int begin, int end, BondOrder order, BondDirection direction, bool isExplicit, bool isRingClosure, bool directionAtClosure = false)
    {
        var bond = new Bond(_bonds.Count, begin, end, order, direction, isExplicit, isRingClosure) { DirectionAtClosure = directionAtClosure };
        _bonds.Add(bond);
        _atomBonds[begin].Add(bond.Index);
        _atomBonds[end].Add(bond.Index);
        return bond;
    }
}
