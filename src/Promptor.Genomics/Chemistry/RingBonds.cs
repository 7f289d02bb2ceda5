namespace Promptor.Genomics.Chemistry;

/// <summary>Ring membership from bridges: a bond is in a ring exactly when removing it keeps its atoms connected.</summary>
internal static class RingBonds
{
    /// <summary>True for every bond that lies on a cycle (Tarjan's bridge-finding, iterative DFS).</summary>
    public static bool[] Find(Molecule mol)
    {
        int n = mol.Atoms.Count;
        var inRing = new bool[mol.Bonds.Count];
        Array.Fill(inRing, true);
        var discovered = new int[n];
        var low = new int[n];
        Array.Fill(discovered, -1);
        int time = 0;
        // Frame: atom, the bond we arrived by, and how many of its bonds we have looked at.
        var stack = new Stack<(int Atom, int ParentBond, int Next)>();
        for (int root = 0; root < n; root++)
        {
            if (discovered[root] >= 0)
            {
                continue;
            }
            discovered[root] = low[root] = time++;
            stack.Push((root, -1, 0));
            while (stack.Count > 0)
            {
                var (a, parentBond, next) = stack.Pop();
                var bonds = mol.BondsOf(a);
                if (next < bonds.Count)
                {
                    stack.Push((a, parentBond, next + 1));
                    int bi = bonds[next];
                    if (bi == parentBond)
                    {
                        continue;
                    }
                    int o = mol.Bonds[bi].Other(a);
                    if (discovered[o] < 0)
                    {
                        discovered[o] = low[o] = time++;
                        stack.Push((o, bi, 0));
                    }
                    else
                    {
                        low[a] = Math.Min(low[a], discovered[o]);
                    }
                }
                else if (parentBond >= 0)
                {
                    int parent = mol.Bonds[parentBond].Other(a);
                    low[parent] = Math.Min(low[parent], low[a]);
                    if (low[a] > discovered[parent])
                    {
                        inRing[parentBond] = false;
                    }
                }
            }
        }
        return inRing;
    }
}
