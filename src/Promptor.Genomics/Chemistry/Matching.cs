namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Maximum matching in a general graph by augmenting paths (Edmonds' blossom algorithm, O(V³)).
/// Kekulisation asks for a perfect matching over the atoms that need a double bond; aromatic rings
/// can be odd, so a bipartite augmenting-path search would miss paths through odd cycles — the blossom
/// step contracts such a cycle into its base and keeps searching.
/// </summary>
internal static class Matching
{
    /// <summary>Returns the mate of every vertex (-1 = unmatched) of a maximum matching.</summary>
    /// <param name="adjacency">Neighbours of each vertex (undirected: each edge listed at both ends).</param>
    public static int[] Maximum(IReadOnlyList<int>[] adjacency)
    {
        int n = adjacency.Length;
        var match = new int[n];
        Array.Fill(match, -1);

        // A greedy start leaves few vertices for the augmenting-path search.
        for (int v = 0; v < n; v++)
        {
            if (match[v] >= 0)
            {
                continue;
            }
            foreach (int u in adjacency[v])
            {
                if (match[u] < 0)
                {
                    match[u] = v;
                    match[v] = u;
                    break;
                }
            }
        }

        var search = new Search(adjacency, match);
        for (int root = 0; root < n; root++)
        {
            if (match[root] >= 0)
            {
                continue;
            }
            int end = search.FindAugmentingPath(root);
            // Flip the path root … end: every unmatched edge on it becomes matched and vice versa.
            while (end >= 0)
            {
                int pv = search.Parent[end];
                int next = match[pv];
                match[end] = pv;
                match[pv] = end;
                end = next;
            }
        }
        return match;
    }

    private sealed class Search(IReadOnlyList<int>[] adjacency, int[] match)
    {
        private readonly int _n = adjacency.Length;
        private readonly int[] _base = new int[adjacency.Length];
        private readonly bool[] _used = new bool[adjacency.Length];
        private readonly bool[] _blossom = new bool[adjacency.Length];
        private readonly bool[] _onPath = new bool[adjacency.Length];
        private readonly Queue<int> _queue = new();

        public int[] Parent { get; } = new int[adjacency.Length];

        // BFS over alternating trees from root; returns an unmatched vertex reached by an augmenting path, or -1.
        public int FindAugmentingPath(int root)
        {
            Array.Fill(_used, false);
            Array.Fill(Parent, -1);
            for (int i = 0; i < _n; i++)
            {
                _base[i] = i;
            }
            _used[root] = true;
            _queue.Clear();
            _queue.Enqueue(root);
            while (_queue.Count > 0)
            {
                int v = _queue.Dequeue();
                foreach (int to in adjacency[v])
                {
                    if (_base[v] == _base[to] || match[v] == to)
                    {
                        continue;
                    }
                    if (to == root || (match[to] >= 0 && Parent[match[to]] >= 0))
                    {
                        // Odd cycle: contract the blossom onto its base and enqueue its vertices.
                        int curBase = LowestCommonAncestor(v, to);
                        Array.Fill(_blossom, false);
                        MarkPath(v, curBase, to);
                        MarkPath(to, curBase, v);
                        for (int i = 0; i < _n; i++)
                        {
                            if (_blossom[_base[i]])
                            {
                                _base[i] = curBase;
                                if (!_used[i])
                                {
                                    _used[i] = true;
                                    _queue.Enqueue(i);
                                }
                            }
                        }
                    }
                    else if (Parent[to] < 0)
                    {
                        Parent[to] = v;
                        if (match[to] < 0)
                        {
                            return to;
                        }
                        int mate = match[to];
                        _used[mate] = true;
                        _queue.Enqueue(mate);
                    }
                }
            }
            return -1;
        }

        private int LowestCommonAncestor(int a, int b)
        {
            Array.Fill(_onPath, false);
            while (true)
            {
                a = _base[a];
                _onPath[a] = true;
                if (match[a] < 0)
                {
                    break;
                }
                a = Parent[match[a]];
            }
            while (true)
            {
                b = _base[b];
                if (_onPath[b])
                {
                    return b;
                }
                b = Parent[match[b]];
            }
        }

        private void MarkPath(int v, int b, int child)
        {
            while (_base[v] != b)
            {
                _blossom[_base[v]] = true;
                _blossom[_base[match[v]]] = true;
                Parent[v] = child;
                child = match[v];
                v = Parent[match[v]];
            }
        }
    }
}
