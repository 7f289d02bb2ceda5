using Promptor.Tensors;

namespace Promptor.Genomics.Chemistry;

/// <summary>
/// Randomized SMILES (Arús-Pous et al. 2019, "Randomized SMILES strings improve the quality of molecular
/// generative models"): one molecule written from a random atom, visiting neighbours in a random order,
/// so a language model sees a different spelling of each molecule every epoch. The atoms get a random
/// ranking and each component a random start atom; the string is then written by the same depth-first
/// writer as <see cref="CanonicalSmiles"/>, so it has the same conventions: aromatic atoms and bonds as
/// parsed, charges, isotopes and bracket hydrogens kept, ring-closure digits reused (lowest free first,
/// <c>%nn</c> above 9). Tetrahedral marks are re-derived for the new neighbour order and cis/trans marks
/// (<c>/</c>, <c>\</c>) for the new writing order (every single bond next to a stereo double bond is
/// marked). Dot-separated components are each randomized and written in a random order. Atom classes
/// are dropped.
/// </summary>
/// <remarks>
/// Every atom can start its component with equal probability. Neighbour orders all come from one
/// random ranking of the atoms, as when the atoms are renumbered at random and written in index
/// order, so two atoms that share two neighbours visit them in the same relative order. The canonical
/// form of a randomized string (<see cref="CanonicalSmiles.Canonicalize"/>) is the canonical form of
/// the input. Draws come only from the given <see cref="Generator"/>, so a seed reproduces the strings.
/// </remarks>
public static class RandomizedSmiles
{
    /// <summary>A randomized spelling of <paramref name="smiles"/>, or null when it is not valid (<see cref="SmilesValidator"/>).</summary>
    public static string? Randomize(string smiles, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var result = SmilesValidator.Validate(smiles);
        return result.IsValid ? Write(result.Molecule!, generator) : null;
    }

    /// <summary>A randomized spelling of a molecule that passed <see cref="SmilesValidator.Validate"/>.</summary>
    public static string Write(Molecule mol, Generator generator) => Write(mol, generator, out _);

    /// <summary>
    /// As <see cref="Write(Molecule, Generator)"/>, also returning the atoms of <paramref name="mol"/> in the
    /// order written (atom <c>k</c> of the parsed result is <c>writtenAtoms[k]</c>).
    /// </summary>
    internal static string Write(Molecule mol, Generator generator, out int[] writtenAtoms)
    {
        ArgumentNullException.ThrowIfNull(mol);
        ArgumentNullException.ThrowIfNull(generator);
        int n = mol.Atoms.Count;
        if (n == 0)
        {
            writtenAtoms = [];
            return "";
        }
        var rank = new int[n];
        for (int a = 0; a < n; a++)
        {
            rank[a] = a;
        }
        generator.Shuffle(rank.AsSpan());

        var component = mol.Components();
        int count = component.Max() + 1;
        var componentOrder = new int[count];
        for (int c = 0; c < count; c++)
        {
            componentOrder[c] = c;
        }
        generator.Shuffle(componentOrder.AsSpan());
        var atomsOf = new List<int>[count];
        for (int c = 0; c < count; c++)
        {
            atomsOf[c] = [];
        }
        for (int a = 0; a < n; a++)
        {
            atomsOf[component[a]].Add(a);
        }

        var order = CanonicalSmiles.WrittenOrders(mol, RingBonds.Find(mol));
        var writer = new SmilesWriter(mol, order, rank, symmetryClass: null, CanonicalSmiles.StereoCentres(mol), DoubleBondStereo.Find(mol));
        var parts = new string[count];
        for (int k = 0; k < count; k++)
        {
            var atoms = atomsOf[componentOrder[k]];
            parts[k] = writer.Write(atoms[generator.NextInt(atoms.Count)]);
        }
        writtenAtoms = [.. writer.WrittenAtoms];
        return string.Join('.', parts);
    }
}
