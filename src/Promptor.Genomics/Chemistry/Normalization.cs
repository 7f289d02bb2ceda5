namespace Promptor.Genomics.Chemistry;

/// <summary>
/// RDKit's sanitisation clean-up, applied before the valence check so that the usual neutral
/// hypervalent spellings are accepted: 5-valent N with <c>=O</c> (nitro <c>N(=O)=O</c>, N-oxides
/// <c>O=n1ccccc1</c>) or <c>#N</c> (azide <c>N=N#N</c>) becomes charge-separated; 5-valent P with
/// <c>=O</c> and a double bond to C or N likewise; Cl, Br, I bound only to O with valence 3, 5 or 7
/// (perchlorate <c>OCl(=O)(=O)=O</c>) get one charge pair per double bond.
/// </summary>
internal static class Normalization
{
    public static void Apply(Molecule mol)
    {
        foreach (var atom in mol.Atoms)
        {
            switch (atom.AtomicNumber)
            {
                case 7:
                    Nitrogen(mol, atom);
                    break;
                case 15:
                    Phosphorus(mol, atom);
                    break;
                case 17 or 35 or 53:
                    Halogen(mol, atom);
                    break;
            }
        }
    }

    private static void Nitrogen(Molecule mol, Atom atom)
    {
        // RDKit clears the aromatic flag here, but its aromatic-bond test still applies the aromatic
        // lowering (c2n#n[nH]2 keeps its triple bond; O=n1ccccc1 at 5 is beyond it and is converted).
        if (atom.Charge != 0 || Valence.Explicit(mol, atom.Index) != 5)
        {
            return;
        }
        foreach (int bi in mol.BondsOf(atom.Index))
        {
            var bond = mol.Bonds[bi];
            var other = mol.Atoms[bond.Other(atom.Index)];
            if (other.Charge != 0)
            {
                continue;
            }
            if (other.AtomicNumber == 8 && bond.Order == BondOrder.Double)
            {
                bond.Order = BondOrder.Single;
            }
            else if (other.AtomicNumber == 7 && bond.Order == BondOrder.Triple)
            {
                bond.Order = BondOrder.Double;
            }
            else
            {
                continue;
            }
            atom.Charge = 1;
            other.Charge = -1;
            return;
        }
    }

    private static void Phosphorus(Molecule mol, Atom atom)
    {
        if (atom.Charge != 0 || mol.Degree(atom.Index) != 3 || Valence.Explicit(mol, atom.Index) != 5)
        {
            return;
        }
        Bond? toOxygen = null;
        bool doubleToCarbonOrNitrogen = false;
        foreach (int bi in mol.BondsOf(atom.Index))
        {
            var bond = mol.Bonds[bi];
            int o = bond.Other(atom.Index);
            var other = mol.Atoms[o];
            if (bond.Order != BondOrder.Double)
            {
                continue;
            }
            if (other.AtomicNumber == 8 && other.Charge == 0)
            {
                toOxygen = bond;
            }
            else if (other.AtomicNumber is 6 or 7 && mol.Degree(o) >= 2)
            {
                doubleToCarbonOrNitrogen = true;
            }
        }
        if (toOxygen is not null && doubleToCarbonOrNitrogen)
        {
            toOxygen.Order = BondOrder.Single;
            mol.Atoms[toOxygen.Other(atom.Index)].Charge = -1;
            atom.Charge = 1;
        }
    }

    private static void Halogen(Molecule mol, Atom atom)
    {
        if (atom.Charge != 0 || Valence.Explicit(mol, atom.Index) is not (7 or 5 or 3))
        {
            return;
        }
        foreach (int bi in mol.BondsOf(atom.Index))
        {
            if (mol.Atoms[mol.Bonds[bi].Other(atom.Index)].AtomicNumber != 8)
            {
                return;
            }
        }
        int charge = 0;
        foreach (int bi in mol.BondsOf(atom.Index))
        {
            var bond = mol.Bonds[bi];
            if (bond.Order == BondOrder.Double)
            {
                bond.Order = BondOrder.Single;
                mol.Atoms[bond.Other(atom.Index)].Charge = -1;
                charge++;
            }
        }
        atom.Charge = charge;
    }
}
