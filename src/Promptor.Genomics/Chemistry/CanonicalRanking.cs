namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Atom ranking for <see cref="CanonicalSmiles"/>, after Weininger's CANON: refinement by neighbour
/// ranks and by tetrahedral handedness, then tie-breaking. Flat buffers: each refinement pass writes
/// every atom's key (own rank, its sorted neighbour (rank, bond code) pairs) into one long[] and
/// re-ranks by sorting.
/// </summary>
internal sealed class CanonicalRanking
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

    public CanonicalRanking(Molecule mol, int[] code, (int[] Neighbors, bool Clockwise)?[] stereo)
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

    // Parity of the permutation taking 'from' to 'to' (same elements): true when odd.
    public static bool OddPermutation(IReadOnlyList<int> from, IReadOnlyList<int> to)
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
    public static int[] DenseRanks<T>(T[] keys, IComparer<T> comparer)
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
}
