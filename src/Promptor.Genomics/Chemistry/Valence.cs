namespace Promptor.Genomics.Chemistry;

/// <summary>
/// RDKit's default valence model: explicit valence (bond orders, aromatic 1.5, plus bracket
/// hydrogens), the check against the element's largest allowed valence, and implicit hydrogens for
/// organic-subset atoms (the smallest allowed valence at or above the explicit one).
/// </summary>
internal static class Valence
{
    /// <summary>Contribution of a bond to an atom's valence.</summary>
    public static double Contribution(BondOrder order) => order switch
    {
        BondOrder.Single => 1,
        BondOrder.Double => 2,
        BondOrder.Triple => 3,
        BondOrder.Quadruple => 4,
        _ => 1.5,
    };

    /// <summary>True for an aromatic atom or an atom with an aromatic bond (<c>C:C</c>), as RDKit's <c>isAromaticAtom</c>.</summary>
    public static bool IsAromatic(Molecule mol, int atom)
    {
        if (mol.Atoms[atom].IsAromatic)
        {
            return true;
        }
        foreach (int bi in mol.BondsOf(atom))
        {
            if (mol.Bonds[bi].Order == BondOrder.Aromatic)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The charge as it shifts the allowed valences: for elements left of carbon a positive charge
    /// removes a bond (BH4-, Na+), for the rest it adds one (NH4+); carbon always loses one (C+ and C- both bind 3).
    /// </summary>
    public static int ValenceShift(int atomicNumber, int charge)
    {
        int shift = Elements.IsEarly(atomicNumber) ? -charge : charge;
        return atomicNumber == 6 && shift > 0 ? -shift : shift;
    }

    /// <summary>
    /// Explicit valence: bond orders plus bracket hydrogens, rounded up from x.5. For an aromatic atom
    /// whose sum exceeds its default valence (pyrrole-type N, <c>c1cccn1C</c>), the sum is lowered to the
    /// largest allowed valence below it when that is within 1.5, since kekulisation will get there.
    /// </summary>
    /// <param name="mol">The molecule.</param>
    /// <param name="atom">Atom index.</param>
    /// <param name="bracketHydrogens">Count the bracket hydrogens (off: as if the atom were written without brackets).</param>
    public static int Explicit(Molecule mol, int atom, bool bracketHydrogens = true)
    {
        var a = mol.Atoms[atom];
        double accum = bracketHydrogens ? a.BracketHydrogens ?? 0 : 0;
        foreach (int bi in mol.BondsOf(atom))
        {
            accum += Contribution(mol.Bonds[bi].Order);
        }
        int z = a.AtomicNumber;
        int dv = Elements.DefaultValence(z);
        int shift = ValenceShift(z, a.Charge);
        if (IsAromatic(mol, atom) && dv >= 0 && accum > dv + shift)
        {
            int best = dv + shift;
            foreach (int v in Elements.Valences(z))
            {
                if (v < 0 || v + shift > accum)
                {
                    break;
                }
                best = v + shift;
            }
            if (accum - best <= 1.5)
            {
                accum = best;
            }
        }
        return (int)Math.Round(accum + 0.1, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Checks every atom's valence and sets <see cref="Atom.ImplicitHydrogens"/>; returns the first
    /// problem found, or null. <paramref name="explicitValence"/> receives each atom's explicit valence.
    /// </summary>
    public static string? Assign(Molecule mol, int[] explicitValence)
    {
        for (int i = 0; i < mol.Atoms.Count; i++)
        {
            var a = mol.Atoms[i];
            int z = a.AtomicNumber;
            int ev = Explicit(mol, i);
            explicitValence[i] = ev;
            var valences = Elements.Valences(z);
            int max = valences[^1];
            // The largest-valence check of RDKit's calcExplicitValence (charge-adjusted per side of carbon).
            int effective = Elements.OuterElectrons(z) >= 4 ? ev - a.Charge : ev + a.Charge;
            if (max > 0 && effective > max)
            {
                int allowed = Elements.OuterElectrons(z) >= 4 ? max + a.Charge : max - a.Charge;
                return $"atom {i} ({a}) has valence {ev} (at most {allowed} allowed)";
            }
            a.ImplicitHydrogens = 0;
            if (a.IsBracket)
            {
                continue;
            }
            int h = Implicit(mol, i, ev, out string? error);
            if (error is not null)
            {
                return error;
            }
            a.ImplicitHydrogens = h;
        }
        return null;
    }

    /// <summary>
    /// Implicit hydrogens of atom <paramref name="i"/> written without brackets, given its explicit
    /// valence <paramref name="ev"/>: aromatic atoms fill up to the default valence, others to the
    /// smallest allowed valence at or above <paramref name="ev"/>. <paramref name="error"/> is set
    /// (and 0 returned) when no allowed valence fits.
    /// </summary>
    public static int Implicit(Molecule mol, int i, int ev, out string? error)
    {
        error = null;
        var a = mol.Atoms[i];
        int z = a.AtomicNumber;
        if (z == 0 || Elements.DefaultValence(z) < 0)
        {
            return 0;
        }
        var valences = Elements.Valences(z);
        int shift = ValenceShift(z, a.Charge);
        if (IsAromatic(mol, i))
        {
            int dv = Elements.DefaultValence(z) + shift;
            if (ev <= dv)
            {
                return dv - ev;
            }
            if (!valences.Any(v => v > 0 && v + shift == ev))
            {
                error = $"aromatic atom {i} ({a}) has valence {ev}, which is not an allowed valence";
            }
            return 0;
        }
        foreach (int v in valences)
        {
            if (v < 0)
            {
                break;
            }
            if (ev <= v + shift)
            {
                return v + shift - ev;
            }
        }
        if (valences[^1] != -1)
        {
            error = $"atom {i} ({a}) has valence {ev} (at most {valences[^1] + shift} allowed)";
        }
        return 0;
    }
}
